import type { VisibleEdge } from './grouping';
import { LAYOUT, type Layout, type Point } from './layout';

/** screen = world × k + (tx, ty). */
export interface View {
  k: number;
  tx: number;
  ty: number;
}

export const MIN_ZOOM = 0.01;
export const MAX_ZOOM = 4;

const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/** The whole layout (or the given world rectangle) centred in a width × height viewport. */
export function fitView(rect: { x: number; y: number; w: number; h: number }, width: number, height: number, margin = 16): View {
  const w = Math.max(rect.w, LAYOUT.cell);
  const h = Math.max(rect.h, LAYOUT.cell);
  const k = clampZoom(Math.min((width - 2 * margin) / w, (height - 2 * margin) / h, 1.5));
  return { k, tx: (width - w * k) / 2 - rect.x * k, ty: (height - h * k) / 2 - rect.y * k };
}

/** The rectangle around some points, with `margin` on every side. */
export function boundsOf(points: readonly Point[], margin: number): { x: number; y: number; w: number; h: number } {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    [x0, y0, x1, y1] = [Math.min(x0, p.x), Math.min(y0, p.y), Math.max(x1, p.x), Math.max(y1, p.y)];
  }
  return { x: x0 - margin, y: y0 - margin, w: x1 - x0 + 2 * margin, h: y1 - y0 + 2 * margin };
}

/** Zoom by `factor` keeping the world point under the screen point (sx, sy) where it is. */
export function zoomAt(view: View, factor: number, sx: number, sy: number): View {
  const k = clampZoom(view.k * factor);
  const wx = (sx - view.tx) / view.k;
  const wy = (sy - view.ty) / view.k;
  return { k, tx: sx - wx * k, ty: sy - wy * k };
}

export const toWorld = (view: View, sx: number, sy: number): Point => ({ x: (sx - view.tx) / view.k, y: (sy - view.ty) / view.k });
export const toScreen = (view: View, p: Point): Point => ({ x: p.x * view.k + view.tx, y: p.y * view.k + view.ty });

/** Radius of a drawn node in world units: a collapsed group is drawn larger than a service. */
export const nodeRadius = (collapsedGroup: boolean) => (collapsedGroup ? 18 : 10);

/**
 * Nodes by the layout cell they sit in: every node centre is a cell centre, so a point's own
 * cell and its neighbours hold every node it can touch.
 */
export class NodeIndex {
  private cells = new Map<string, string[]>();

  constructor(private layout: Layout, shown: ReadonlySet<string>) {
    for (const [id, p] of layout.positions) {
      if (shown.has(id)) {
        const key = `${Math.floor(p.x / LAYOUT.cell)},${Math.floor(p.y / LAYOUT.cell)}`;
        const list = this.cells.get(key);
        if (list) {
          list.push(id);
        } else {
          this.cells.set(key, [id]);
        }
      }
    }
  }

  /** The node under a world point, within `slack` world units of its edge. */
  at(p: Point, slack: number, isGroup: (id: string) => boolean): string | null {
    const cx = Math.floor(p.x / LAYOUT.cell);
    const cy = Math.floor(p.y / LAYOUT.cell);
    let best: string | null = null;
    let bestD = Infinity;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const id of this.cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          const q = this.layout.positions.get(id)!;
          const d = Math.hypot(q.x - p.x, q.y - p.y);
          if (d <= nodeRadius(isGroup(id)) + slack && d < bestD) {
            best = id;
            bestD = d;
          }
        }
      }
    }
    return best;
  }
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The drawn edge nearest a world point, within `tolerance` world units. */
export function edgeAt(p: Point, edges: readonly VisibleEdge[], layout: Layout, shown: ReadonlySet<string>, tolerance: number): VisibleEdge | null {
  let best: VisibleEdge | null = null;
  let bestD = tolerance;
  for (const e of edges) {
    if (!shown.has(e.source) || !shown.has(e.target) || e.source === e.target) {
      continue;
    }
    const d = segmentDistance(p, layout.positions.get(e.source)!, layout.positions.get(e.target)!);
    if (d <= bestD) {
      best = e;
      bestD = d;
    }
  }
  return best;
}
