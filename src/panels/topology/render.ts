import type { EdgeMtlsState } from '../../core/frames';
import type { Badge } from './badges';
import { edgeHealth, health, type Health, type Thresholds } from './filters';
import type { VisibleEdge, VisibleGraph, VisibleNode } from './grouping';
import { LAYOUT, type Layout } from './layout';
import { nodeRadius, type View } from './view';

/** Theme colours the drawing uses, resolved once per theme (render.ts never sees the theme object). */
export interface Palette {
  background: string;
  box: Record<'platform' | 'cluster' | 'namespace', { fill: string; stroke: string }>;
  text: string;
  textWeak: string;
  mtls: Record<EdgeMtlsState, string>;
  health: Record<Health, string>;
  cross: string;
  selection: string;
  fontFamily: string;
}

export interface Scene {
  graph: VisibleGraph;
  layout: Layout;
  shown: ReadonlySet<string>;
  matches: ReadonlySet<string> | null;
  thresholds: Thresholds;
  edgeLabels: boolean;
  /** Policy badges per drawn node (badges.ts). */
  badges: ReadonlyMap<string, readonly Badge[]>;
}

/**
 * The hovered and the selected node: drawn over the scene on every frame, so that pointing at a
 * service costs a copy of the last drawing and a ring, not a drawing of the whole mesh.
 */
export interface Marks {
  selected: string | null;
  hovered: string | null;
}

/** Screen-pixel dash per mTLS state: solid mTLS, dashed plaintext, dotted unknown, long dashes partial. */
export const MTLS_DASH: Record<EdgeMtlsState, number[]> = { mtls: [], plaintext: [6, 4], unknown: [1.5, 3], partial: [10, 3] };

/** Above this many edges on screen, dashes are dropped (colour still tells the mTLS state). */
const DASH_LIMIT = 6000;

/** An edge's colour: the 5xx threshold colour when one is passed, else its mTLS colour. */
export function edgeColor(edge: VisibleEdge, thresholds: Thresholds, palette: Palette): string {
  const h = edgeHealth(edge, thresholds);
  return h === 'warning' || h === 'critical' ? palette.health[h] : palette.mtls[edge.mtls];
}

/** 1 px for a trickle up to 6 px for the busiest edge, on a log scale so small edges stay visible. */
export function edgeWidth(rate: number | null, maxRate: number): number {
  return maxRate > 0 && rate !== null ? 1 + (5 * Math.log1p(rate)) / Math.log1p(maxRate) : 1;
}

interface Viewport {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const inside = (v: Viewport, x: number, y: number, r = 0) => x + r >= v.x0 && x - r <= v.x1 && y + r >= v.y0 && y - r <= v.y1;

function drawBoxes(ctx: CanvasRenderingContext2D, scene: Scene, view: View, vp: Viewport, palette: Palette) {
  const k = view.k;
  for (const box of scene.layout.boxes) {
    if (box.collapsed || box.x > vp.x1 || box.y > vp.y1 || box.x + box.w < vp.x0 || box.y + box.h < vp.y0) {
      continue;
    }
    const style = palette.box[box.level];
    ctx.fillStyle = style.fill;
    ctx.strokeStyle = style.stroke;
    ctx.lineWidth = (box.level === 'platform' ? 2 : 1) / k;
    ctx.fillRect(box.x, box.y, box.w, box.h);
    ctx.strokeRect(box.x, box.y, box.w, box.h);
    if (box.w * k > 48 && LAYOUT.header * k > 8) {
      ctx.fillStyle = palette.textWeak;
      ctx.font = `${Math.min(12 / k, LAYOUT.header * 0.6)}px ${palette.fontFamily}`;
      ctx.fillText(`${box.level === 'namespace' ? '' : box.level + ' '}${box.label}`, box.x + 6 / k, box.y + LAYOUT.header * 0.7, box.w - 12 / k);
    }
  }
}

interface Batch {
  color: string;
  dash: number[];
  width: number;
  cross: boolean;
  edges: VisibleEdge[];
  /** x1, y1, x2, y2 per edge, in world units. */
  coords: Float32Array;
}

interface Batches {
  layout: Layout;
  shown: ReadonlySet<string>;
  thresholds: Thresholds;
  palette: Palette;
  batches: Batch[];
}

// Grouping 25,000 edges by style costs more than stroking them, so it is done once per graph,
// layout and filter, not on every frame of a pan.
const batchCache = new WeakMap<VisibleGraph, Batches>();

function edgeBatches(scene: Scene, palette: Palette): Batch[] {
  const cached = batchCache.get(scene.graph);
  if (cached && cached.layout === scene.layout && cached.shown === scene.shown && cached.thresholds === scene.thresholds && cached.palette === palette) {
    return cached.batches;
  }
  const { layout, shown } = scene;
  let maxRate = 0;
  for (const e of scene.graph.edges) {
    maxRate = Math.max(maxRate, e.rate ?? 0);
  }
  const byKey = new Map<string, { batch: Batch; coords: number[] }>();
  for (const e of scene.graph.edges) {
    if (e.source === e.target || !shown.has(e.source) || !shown.has(e.target)) {
      continue;
    }
    const a = layout.positions.get(e.source)!;
    const b = layout.positions.get(e.target)!;
    const color = edgeColor(e, scene.thresholds, palette);
    const width = Math.round(edgeWidth(e.rate, maxRate));
    const key = `${color}|${e.mtls}|${width}|${e.crosses !== null}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { batch: { color, dash: MTLS_DASH[e.mtls], width, cross: e.crosses !== null, edges: [], coords: new Float32Array(0) }, coords: [] };
      byKey.set(key, entry);
    }
    entry.batch.edges.push(e);
    entry.coords.push(a.x, a.y, b.x, b.y);
  }
  // Cross-boundary edges last, so that they are drawn over the local ones.
  const batches = [...byKey.values()].map(({ batch, coords }) => ({ ...batch, coords: Float32Array.from(coords) })).sort((x, y) => Number(x.cross) - Number(y.cross));
  batchCache.set(scene.graph, { layout, shown, thresholds: scene.thresholds, palette, batches });
  return batches;
}

/** Above this many edges on screen the cross-boundary halos are dropped; drawing order still puts those edges on top. */
const HALO_LIMIT = 4000;

/** Edges stroked between two yields of a progressive drawing (about 10 ms of software rasterisation here, bench/topology-render). */
const EDGE_SLICE = 1000;

function* drawEdges(ctx: CanvasRenderingContext2D, scene: Scene, view: View, vp: Viewport, palette: Palette): Generator<void, void, void> {
  const batches = edgeBatches(scene, palette);
  const visible: number[][] = [];
  let onScreen = 0;
  for (const batch of batches) {
    const idx: number[] = [];
    const c = batch.coords;
    for (let i = 0; i < c.length; i += 4) {
      if (Math.max(c[i], c[i + 2]) >= vp.x0 && Math.min(c[i], c[i + 2]) <= vp.x1 && Math.max(c[i + 1], c[i + 3]) >= vp.y0 && Math.min(c[i + 1], c[i + 3]) <= vp.y1) {
        idx.push(i);
      }
    }
    onScreen += idx.length;
    visible.push(idx);
  }
  const dashes = onScreen <= DASH_LIMIT;
  const faded = scene.matches !== null;
  // Zoomed far out, full-width edges would paint over everything: they thin down to a quarter.
  const thin = Math.min(1, Math.max(0.25, view.k / 0.5));
  const path = (batch: Batch, idx: number[]) => {
    const c = batch.coords;
    ctx.beginPath();
    for (const i of idx) {
      ctx.moveTo(c[i], c[i + 1]);
      ctx.lineTo(c[i + 2], c[i + 3]);
    }
  };
  // Edges across a platform or cluster boundary get a wide halo under them, so they stand out.
  ctx.setLineDash([]);
  if (onScreen <= HALO_LIMIT) {
    ctx.globalAlpha = faded ? 0.1 : 0.35;
    batches.forEach((batch, b) => {
      if (batch.cross && visible[b].length > 0) {
        ctx.strokeStyle = palette.cross;
        ctx.lineWidth = (batch.width + 5) / view.k;
        path(batch, visible[b]);
        ctx.stroke();
      }
    });
  }
  ctx.globalAlpha = faded ? 0.25 : 1;
  let stroked = 0;
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b];
    for (let from = 0; from < visible[b].length; from += EDGE_SLICE) {
      const slice = visible[b].slice(from, from + EDGE_SLICE);
      ctx.strokeStyle = batch.color;
      ctx.lineWidth = (batch.width * thin) / view.k;
      ctx.setLineDash(dashes ? batch.dash.map((d) => d / view.k) : []);
      path(batch, slice);
      ctx.stroke();
      stroked += slice.length;
      if (stroked >= EDGE_SLICE) {
        stroked = 0;
        yield;
      }
    }
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  const drawnEdges = () => batches.flatMap((batch, b) => visible[b].map((i) => batch.edges[i / 4]));
  if (scene.edgeLabels && view.k >= 1 && onScreen <= 300) {
    drawEdgeLabels(ctx, scene, drawnEdges(), palette, view.k);
  }
  // Arrowheads only when an edge is long enough on screen to carry one, and not thousands of them.
  if (view.k * LAYOUT.cell >= 28 && onScreen <= DASH_LIMIT) {
    batches.forEach((batch, b) => {
      const c = batch.coords;
      ctx.fillStyle = batch.color;
      ctx.beginPath();
      for (const i of visible[b]) {
        const len = Math.hypot(c[i + 2] - c[i], c[i + 3] - c[i + 1]);
        const r = nodeRadius(isGroup(scene, batch.edges[i / 4].target));
        if (len < r * 3) {
          continue;
        }
        const ux = (c[i + 2] - c[i]) / len;
        const uy = (c[i + 3] - c[i + 1]) / len;
        const tipX = c[i + 2] - ux * (r + 1);
        const tipY = c[i + 3] - uy * (r + 1);
        const size = 7 / Math.max(view.k, 0.5);
        ctx.moveTo(tipX, tipY);
        ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
        ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
        ctx.closePath();
      }
      ctx.fill();
    });
  }
}

/** Rate · 5xx · p95 at an edge's midpoint. */
export function edgeLabel(e: VisibleEdge): string {
  const parts = [e.rate === null ? 'rate ?' : `${e.rate.toFixed(2)} rps`];
  if (e.errorPercent !== null) {
    parts.push(`${e.errorPercent.toFixed(1)}% 5xx`);
  }
  if (e.p95Ms !== null) {
    parts.push(`p95 ${Math.round(e.p95Ms)} ms`);
  }
  return parts.join(' · ');
}

function drawEdgeLabels(ctx: CanvasRenderingContext2D, scene: Scene, edges: VisibleEdge[], palette: Palette, k: number) {
  ctx.font = `${10 / k}px ${palette.fontFamily}`;
  ctx.fillStyle = palette.textWeak;
  ctx.textAlign = 'center';
  for (const e of edges) {
    const a = scene.layout.positions.get(e.source)!;
    const b = scene.layout.positions.get(e.target)!;
    ctx.fillText(edgeLabel(e), (a.x + b.x) / 2, (a.y + b.y) / 2 - 3 / k);
  }
  ctx.textAlign = 'start';
}

const groupIds = new WeakMap<VisibleGraph, Set<string>>();
function isGroup(scene: Scene, id: string): boolean {
  let set = groupIds.get(scene.graph);
  if (!set) {
    set = new Set(scene.graph.nodes.filter((n) => n.kind !== 'service').map((n) => n.id));
    groupIds.set(scene.graph, set);
  }
  return set.has(id);
}

function drawNodes(ctx: CanvasRenderingContext2D, scene: Scene, view: View, vp: Viewport, palette: Palette) {
  const k = view.k;
  const byColor = new Map<string, VisibleNode[]>();
  const visible: VisibleNode[] = [];
  for (const n of scene.graph.nodes) {
    const p = scene.layout.positions.get(n.id);
    if (!p || !scene.shown.has(n.id) || !inside(vp, p.x, p.y, 20)) {
      continue;
    }
    visible.push(n);
    const color = palette.health[health(n.errorShare, scene.thresholds)];
    const list = byColor.get(color);
    if (list) {
      list.push(n);
    } else {
      byColor.set(color, [n]);
    }
  }
  const round = k * nodeRadius(false) >= 3;
  for (const [color, nodes] of byColor) {
    ctx.fillStyle = color;
    ctx.globalAlpha = 1;
    ctx.beginPath();
    for (const n of nodes) {
      const p = scene.layout.positions.get(n.id)!;
      const r = nodeRadius(n.kind !== 'service');
      if (round) {
        ctx.moveTo(p.x + r, p.y);
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
      } else {
        ctx.rect(p.x - r, p.y - r, 2 * r, 2 * r);
      }
    }
    ctx.fill();
  }
  // Collapsed groups get a ring, so that they read as "many services" at any zoom.
  ctx.strokeStyle = palette.text;
  ctx.lineWidth = 2 / k;
  ctx.beginPath();
  for (const n of visible) {
    if (n.kind !== 'service') {
      const p = scene.layout.positions.get(n.id)!;
      ctx.moveTo(p.x + 22, p.y);
      ctx.arc(p.x, p.y, 22, 0, Math.PI * 2);
    }
  }
  ctx.stroke();
  if (scene.matches) {
    ctx.fillStyle = palette.background;
    ctx.globalAlpha = 0.7;
    ctx.beginPath();
    for (const n of visible) {
      if (!scene.matches.has(n.id)) {
        const p = scene.layout.positions.get(n.id)!;
        const r = nodeRadius(n.kind !== 'service') + 1;
        ctx.rect(p.x - r, p.y - r, 2 * r, 2 * r);
      }
    }
    ctx.fill();
    ctx.globalAlpha = 1;
  }
  // Badges: a ring in the badge's colour and a dot at the top right, from a legible size on.
  if (k * nodeRadius(false) >= 3) {
    for (const n of visible) {
      const list = scene.badges.get(n.id);
      if (!list) {
        continue;
      }
      const p = scene.layout.positions.get(n.id)!;
      const r = nodeRadius(n.kind !== 'service');
      list.forEach((badge, i) => {
        ctx.fillStyle = badge === 'plaintext-into-strict' ? palette.mtls.plaintext : palette.mtls.partial;
        ctx.strokeStyle = palette.background;
        ctx.lineWidth = 1.5 / k;
        ctx.beginPath();
        ctx.arc(p.x + r * 0.8 + i * 9, p.y - r * 0.8, 5, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
      });
    }
  }
  // Labels only where they are legible: at least 8 screen pixels high, and not too many.
  if (k * 10 >= 8 && visible.length < 1500) {
    ctx.fillStyle = palette.text;
    // 11 screen pixels whatever the zoom, and never wider than the node's cell.
    ctx.font = `${11 / k}px ${palette.fontFamily}`;
    ctx.textAlign = 'center';
    for (const n of visible) {
      const p = scene.layout.positions.get(n.id)!;
      const label = n.kind === 'service' ? n.label : `${n.label} (${n.services})`;
      ctx.fillText(label, p.x, p.y + nodeRadius(n.kind !== 'service') + 12 / k, LAYOUT.cell - 4);
    }
    ctx.textAlign = 'start';
  }
}

/**
 * Paints the scene in steps: it yields after the boxes and after each slice of edges, so that a
 * caller can spread one drawing over several frames (useCanvasDrawing). The context must not be
 * touched between steps. Only what intersects the viewport is drawn, and detail follows the zoom.
 */
export function* drawSceneSteps(ctx: CanvasRenderingContext2D, scene: Scene, view: View, width: number, height: number, dpr: number, palette: Palette): Generator<void, void, void> {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.tx, dpr * view.ty);
  const vp: Viewport = { x0: -view.tx / view.k, y0: -view.ty / view.k, x1: (width - view.tx) / view.k, y1: (height - view.ty) / view.k };
  drawBoxes(ctx, scene, view, vp, palette);
  yield;
  yield* drawEdges(ctx, scene, view, vp, palette);
  drawNodes(ctx, scene, view, vp, palette);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** Rings around the hovered and the selected node, over what the canvas shows. */
export function drawMarks(ctx: CanvasRenderingContext2D, scene: Scene, marks: Marks, view: View, dpr: number, palette: Palette): void {
  ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.tx, dpr * view.ty);
  for (const id of [marks.hovered, marks.selected]) {
    const p = id ? scene.layout.positions.get(id) : undefined;
    if (p && id && scene.shown.has(id)) {
      ctx.strokeStyle = palette.selection;
      ctx.lineWidth = 3 / view.k;
      ctx.beginPath();
      ctx.arc(p.x, p.y, nodeRadius(isGroup(scene, id)) + 5 / view.k, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** Paints the whole scene at once. */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, view: View, width: number, height: number, dpr: number, palette: Palette): void {
  const steps = drawSceneSteps(ctx, scene, view, width, height, dpr, palette);
  while (!steps.next().done) {
    // every step at once
  }
}

/** A full drawing kept as a bitmap, with the view it was drawn at. */
export interface Snapshot {
  bitmap: HTMLCanvasElement;
  view: View;
}

/** Copies what the canvas shows now, so that the next frames of a pan or zoom can reuse it. */
export function snapshot(canvas: HTMLCanvasElement, view: View, into?: Snapshot): Snapshot {
  const bitmap = into?.bitmap ?? document.createElement('canvas');
  bitmap.width = canvas.width;
  bitmap.height = canvas.height;
  bitmap.getContext('2d')!.drawImage(canvas, 0, 0);
  return { bitmap, view };
}

/**
 * A frame during a pan or zoom: the last full drawing moved and scaled to the new view. Software
 * rasterisation of 25,000 lines takes longer than a frame; one image does not. The full drawing
 * follows once the movement stops.
 */
export function drawSnapshot(ctx: CanvasRenderingContext2D, shot: Snapshot, view: View, width: number, height: number, dpr: number, background: string): void {
  const s = view.k / shot.view.k;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(s, 0, 0, s, dpr * (view.tx - shot.view.tx * s), dpr * (view.ty - shot.view.ty * s));
  ctx.drawImage(shot.bitmap, 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}
