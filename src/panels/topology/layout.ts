import type { Graph, GraphNode } from './graphModel';
import { GROUP_LEVELS, groupKey, type GroupLevel } from './grouping';

/** World units: one service per cell; boxes carry a header for their label. */
export const LAYOUT = { cell: 56, pad: 12, header: 22, gap: 16 };

export interface Point {
  x: number;
  y: number;
}

/** A drawn grouping box (an expanded platform, cluster or namespace), or a collapsed group's cell. */
export interface Box {
  key: string;
  level: GroupLevel;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  collapsed: boolean;
  /** Services inside, at any depth. */
  services: number;
}

export interface Layout {
  /** Centre of each drawn node: a service by id, a collapsed group by key. */
  positions: Map<string, Point>;
  /** Outermost first, so that drawing in order paints children over parents. */
  boxes: Box[];
  width: number;
  height: number;
  /** Each service's slot in its namespace's grid: hand it back as `previous` on the next layout. */
  slots: Map<string, number>;
}

interface Item {
  key: string;
  level: GroupLevel | 'service';
  label: string;
  w: number;
  h: number;
  services: number;
  collapsed: boolean;
  /** Child items with their offsets inside this one. */
  children: Array<{ item: Item; dx: number; dy: number }>;
}

const byLabel = (a: { label: string; key: string }, b: { label: string; key: string }) =>
  a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * Rows left to right, wrapping near a square overall shape. Children keep their order, so a
 * group's neighbours move only when a group before them changes size.
 */
function shelf(items: Item[]): { placed: Array<{ item: Item; dx: number; dy: number }>; w: number; h: number } {
  const area = items.reduce((s, i) => s + i.w * i.h, 0);
  const target = items.reduce((m, i) => Math.max(m, i.w), Math.sqrt(area) * 1.4);
  const placed: Array<{ item: Item; dx: number; dy: number }> = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const item of items) {
    if (x > 0 && x + item.w > target) {
      y += rowH + LAYOUT.gap;
      x = 0;
      rowH = 0;
    }
    placed.push({ item, dx: x, dy: y });
    x += item.w + LAYOUT.gap;
    rowH = Math.max(rowH, item.h);
    w = Math.max(w, x - LAYOUT.gap);
  }
  return { placed, w, h: y + rowH };
}

const collapsedItem = (key: string, level: GroupLevel, label: string, services: number): Item => ({
  key,
  level,
  label,
  w: LAYOUT.cell,
  h: LAYOUT.cell,
  services,
  collapsed: true,
  children: [],
});

/**
 * A namespace's services on a square grid of slots. The grid's side grows only when the
 * services outgrow it, and a service keeps the slot it had (`previous`), so a new service fills a
 * free slot and moves nobody else.
 */
function namespaceItem(key: string, label: string, members: GraphNode[], previous: ReadonlyMap<string, number>, slots: Map<string, number>): Item {
  const cols = Math.max(1, Math.ceil(Math.sqrt(members.length)));
  const capacity = cols * cols;
  const taken = new Set<number>();
  const pending: GraphNode[] = [];
  for (const node of members) {
    const slot = previous.get(node.id);
    if (slot !== undefined && slot < capacity && !taken.has(slot)) {
      taken.add(slot);
      slots.set(node.id, slot);
    } else {
      pending.push(node);
    }
  }
  let next = 0;
  for (const node of pending) {
    while (taken.has(next)) {
      next++;
    }
    taken.add(next);
    slots.set(node.id, next);
  }
  const children = members.map((node) => {
    const slot = slots.get(node.id)!;
    const item: Item = { key: node.id, level: 'service', label: node.title, w: LAYOUT.cell, h: LAYOUT.cell, services: 1, collapsed: false, children: [] };
    return { item, dx: LAYOUT.pad + (slot % cols) * LAYOUT.cell, dy: LAYOUT.header + Math.floor(slot / cols) * LAYOUT.cell };
  });
  return {
    key,
    level: 'namespace',
    label,
    w: cols * LAYOUT.cell + 2 * LAYOUT.pad,
    h: cols * LAYOUT.cell + LAYOUT.header + LAYOUT.pad,
    services: members.length,
    collapsed: false,
    children,
  };
}

function groupItem(key: string, level: GroupLevel, label: string, inner: Item[]): Item {
  const packed = shelf(inner.sort(byLabel));
  return {
    key,
    level,
    label,
    w: Math.max(packed.w, LAYOUT.cell) + 2 * LAYOUT.pad,
    h: packed.h + LAYOUT.header + LAYOUT.pad,
    services: inner.reduce((s, i) => s + i.services, 0),
    collapsed: false,
    children: packed.placed.map((p) => ({ ...p, dx: p.dx + LAYOUT.pad, dy: p.dy + LAYOUT.header })),
  };
}

/** Services by group key at one level, in the order first seen. */
function partition(nodes: GraphNode[], level: GroupLevel): Map<string, GraphNode[]> {
  const out = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    const key = groupKey(n, level);
    const list = out.get(key);
    if (list) {
      list.push(n);
    } else {
      out.set(key, [n]);
    }
  }
  return out;
}

function build(nodes: GraphNode[], depth: number, collapsed: ReadonlySet<string>, previous: ReadonlyMap<string, number>, slots: Map<string, number>): Item[] {
  const level = GROUP_LEVELS[depth];
  const items: Item[] = [];
  for (const [key, members] of partition(nodes, level)) {
    const label = members[0][level];
    if (collapsed.has(key)) {
      items.push(collapsedItem(key, level, label, members.length));
    } else if (level === 'namespace') {
      items.push(namespaceItem(key, label, [...members].sort((a, b) => byLabel({ label: a.title, key: a.id }, { label: b.title, key: b.id })), previous, slots));
    } else {
      items.push(groupItem(key, level, label, build(members, depth + 1, collapsed, previous, slots)));
    }
  }
  return items;
}

/**
 * Boxes platform › cluster › namespace with the services on a grid inside each namespace; a
 * collapsed group takes one cell in its parent. Deterministic: the same graph, collapsed set and
 * previous slots give the same positions, whatever the row order of the frames.
 */
export function layoutGraph(graph: Graph, collapsed: ReadonlySet<string> = new Set(), previous: ReadonlyMap<string, number> = new Map()): Layout {
  const slots = new Map<string, number>();
  const top = shelf(build(graph.nodes, 0, collapsed, previous, slots).sort(byLabel));
  const positions = new Map<string, Point>();
  const boxes: Box[] = [];
  const place = (item: Item, x: number, y: number) => {
    if (item.level === 'service' || item.collapsed) {
      positions.set(item.key, { x: x + item.w / 2, y: y + item.h / 2 });
    }
    if (item.level !== 'service') {
      boxes.push({ key: item.key, level: item.level, label: item.label, x, y, w: item.w, h: item.h, collapsed: item.collapsed, services: item.services });
    }
    for (const child of item.children) {
      place(child.item, x + child.dx, y + child.dy);
    }
  };
  for (const p of top.placed) {
    place(p.item, p.dx, p.dy);
  }
  return { positions, boxes, width: top.w, height: top.h, slots };
}
