import type { Graph } from './graphModel';
import type { VisibleGraph } from './grouping';

export type Badge = 'plaintext-into-strict' | 'required-no-logs';

export const BADGE_TEXT: Record<Badge, string> = {
  'plaintext-into-strict': 'Plaintext into a strict-mTLS namespace',
  'required-no-logs': 'Required service without logs in the range',
};

export interface Badges {
  /** Badges per drawn node; a collapsed group carries those of its services. */
  byNode: Map<string, Badge[]>;
  /** Required services with no node at all in the frames: nothing to draw them on. */
  missingRequired: string[];
}

/** A comma- or space-separated list from a panel option, trimmed, without empties. */
export function listOption(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * What the policy says a node must show: plaintext (or partly plaintext) traffic into a namespace
 * whose mTLS must be strict, and a required service that shipped no logs. `representative` maps a
 * service id to the drawn node standing for it.
 */
export function computeBadges(graph: Graph, visible: VisibleGraph, representative: (serviceId: string) => string, strictNamespaces: readonly string[], requiredServices: readonly string[]): Badges {
  const byNode = new Map<string, Badge[]>();
  const add = (id: string, badge: Badge) => {
    const list = byNode.get(id) ?? [];
    if (!list.includes(badge)) {
      list.push(badge);
    }
    byNode.set(id, list);
  };
  const strict = new Set(strictNamespaces);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  if (strict.size > 0) {
    for (const e of graph.edges) {
      const target = byId.get(e.target);
      if (target && strict.has(target.namespace) && (e.mtls === 'plaintext' || e.mtls === 'partial')) {
        add(representative(target.id), 'plaintext-into-strict');
      }
    }
  }
  const missingRequired: string[] = [];
  for (const name of requiredServices) {
    const nodes = graph.nodes.filter((n) => n.workload === name);
    if (nodes.length === 0) {
      missingRequired.push(name);
    }
    for (const n of nodes) {
      if (!n.rateIn && !n.rateOut) {
        add(representative(n.id), 'required-no-logs');
      }
    }
  }
  // Only badges on nodes that are drawn.
  const drawn = new Set(visible.nodes.map((n) => n.id));
  for (const id of byNode.keys()) {
    if (!drawn.has(id)) {
      byNode.delete(id);
    }
  }
  return { byNode, missingRequired };
}
