import type { EdgeMtlsState } from '../../core/frames';
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
  selected: string | null;
  hovered: string | null;
  thresholds: Thresholds;
  edgeLabels: boolean;
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

function drawEdges(ctx: CanvasRenderingContext2D, scene: Scene, view: View, vp: Viewport, palette: Palette) {
  const { layout, shown } = scene;
  const maxRate = Math.max(0, ...scene.graph.edges.map((e) => e.rate ?? 0));
  const buckets = new Map<string, { color: string; dash: number[]; width: number; cross: boolean; edges: VisibleEdge[] }>();
  let onScreen = 0;
  for (const e of scene.graph.edges) {
    if (e.source === e.target || !shown.has(e.source) || !shown.has(e.target)) {
      continue;
    }
    const a = layout.positions.get(e.source)!;
    const b = layout.positions.get(e.target)!;
    if (Math.max(a.x, b.x) < vp.x0 || Math.min(a.x, b.x) > vp.x1 || Math.max(a.y, b.y) < vp.y0 || Math.min(a.y, b.y) > vp.y1) {
      continue;
    }
    onScreen++;
    const color = edgeColor(e, scene.thresholds, palette);
    const width = Math.round(edgeWidth(e.rate, maxRate));
    const key = `${color}|${e.mtls}|${width}|${e.crosses !== null}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { color, dash: MTLS_DASH[e.mtls], width, cross: e.crosses !== null, edges: [] };
      buckets.set(key, bucket);
    }
    bucket.edges.push(e);
  }
  const dashes = onScreen <= DASH_LIMIT;
  const faded = scene.matches !== null;
  const path = (edges: VisibleEdge[]) => {
    ctx.beginPath();
    for (const e of edges) {
      const a = layout.positions.get(e.source)!;
      const b = layout.positions.get(e.target)!;
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    }
  };
  // Edges across a platform or cluster boundary get a wide halo under them, so they stand out.
  ctx.setLineDash([]);
  ctx.globalAlpha = faded ? 0.1 : 0.35;
  for (const bucket of buckets.values()) {
    if (bucket.cross) {
      ctx.strokeStyle = palette.cross;
      ctx.lineWidth = (bucket.width + 5) / view.k;
      path(bucket.edges);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = faded ? 0.25 : 0.9;
  for (const bucket of buckets.values()) {
    ctx.strokeStyle = bucket.color;
    ctx.lineWidth = bucket.width / view.k;
    ctx.setLineDash(dashes ? bucket.dash.map((d) => d / view.k) : []);
    path(bucket.edges);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  if (scene.edgeLabels && view.k >= 1 && onScreen <= 300) {
    drawEdgeLabels(ctx, scene, [...buckets.values()].flatMap((b) => b.edges), palette);
  }
  // Arrowheads only when an edge is long enough on screen to carry one.
  if (view.k * LAYOUT.cell >= 28) {
    for (const bucket of buckets.values()) {
      ctx.fillStyle = bucket.color;
      ctx.beginPath();
      for (const e of bucket.edges) {
        const a = layout.positions.get(e.source)!;
        const b = layout.positions.get(e.target)!;
        const len = Math.hypot(b.x - a.x, b.y - a.y);
        const r = nodeRadius(isGroup(scene, e.target));
        if (len < r * 3) {
          continue;
        }
        const ux = (b.x - a.x) / len;
        const uy = (b.y - a.y) / len;
        const tipX = b.x - ux * (r + 1);
        const tipY = b.y - uy * (r + 1);
        const size = 7 / Math.max(view.k, 0.5);
        ctx.moveTo(tipX, tipY);
        ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
        ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
        ctx.closePath();
      }
      ctx.fill();
    }
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

function drawEdgeLabels(ctx: CanvasRenderingContext2D, scene: Scene, edges: VisibleEdge[], palette: Palette) {
  ctx.font = `9px ${palette.fontFamily}`;
  ctx.fillStyle = palette.textWeak;
  ctx.textAlign = 'center';
  for (const e of edges) {
    const a = scene.layout.positions.get(e.source)!;
    const b = scene.layout.positions.get(e.target)!;
    ctx.fillText(edgeLabel(e), (a.x + b.x) / 2, (a.y + b.y) / 2 - 3);
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
  for (const id of [scene.hovered, scene.selected]) {
    const p = id ? scene.layout.positions.get(id) : undefined;
    if (p && id && scene.shown.has(id)) {
      ctx.strokeStyle = palette.selection;
      ctx.lineWidth = 3 / k;
      ctx.beginPath();
      ctx.arc(p.x, p.y, nodeRadius(isGroup(scene, id)) + 5 / k, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  // Labels only where they are legible: at least 8 screen pixels high, and not too many.
  if (k * 10 >= 8 && visible.length < 1500) {
    ctx.fillStyle = palette.text;
    ctx.font = `${10}px ${palette.fontFamily}`;
    ctx.textAlign = 'center';
    for (const n of visible) {
      const p = scene.layout.positions.get(n.id)!;
      const label = n.kind === 'service' ? n.label : `${n.label} (${n.services})`;
      ctx.fillText(label, p.x, p.y + nodeRadius(n.kind !== 'service') + 12, LAYOUT.cell - 4);
    }
    ctx.textAlign = 'start';
  }
}

/** Paints the scene; only what intersects the viewport is drawn, and detail follows the zoom. */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, view: View, width: number, height: number, dpr: number, palette: Palette): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.tx, dpr * view.ty);
  const vp: Viewport = { x0: -view.tx / view.k, y0: -view.ty / view.k, x1: (width - view.tx) / view.k, y1: (height - view.ty) / view.k };
  drawBoxes(ctx, scene, view, vp, palette);
  drawEdges(ctx, scene, view, vp, palette);
  drawNodes(ctx, scene, view, vp, palette);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}
