/**
 * CC7.1's evidence: the edges with requests in the window and none in the baseline before it, as
 * Loki answered `current unless baseline` (queries/controls.ts), one row per edge.
 */
import type { VectorSample } from '../loki/types';
import { edgeKeys } from '../queries/controls';
import type { QueryContext } from '../queries/context';
import type { EvidenceTable } from './report';

export function newEdgesTable(samples: readonly VectorSample[], ctx: QueryContext): EvidenceTable {
  const keys = edgeKeys(ctx);
  const columns = [...keys, 'requests'];
  const rows = samples
    .map((s) => ({ ...Object.fromEntries(keys.map((k) => [k, s.metric[k] || null])), requests: s.value }))
    .sort((a, b) => b.requests - a.requests || JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { columns, rows };
}

/**
 * The new edges in words, largest first: `caller → callee (cluster)`, an unnamed caller `unknown`;
 * without a baseline (null), why nothing can be called new.
 */
export function describeNewEdges(table: EvidenceTable | null, baselineDays: number, max = 5): string {
  if (table === null) {
    return `No access log in the ${baselineDays} days before the window: nothing can be called new.`;
  }
  if (table.rows.length === 0) {
    return `No edge in the window is new against the ${baselineDays} days before it.`;
  }
  const [cluster, srcNs, src, dstNs, dst] = table.columns;
  const name = (ns: unknown, w: unknown) => (w ? `${ns ? `${String(ns)}/` : ''}${String(w)}` : 'unknown');
  const shown = table.rows
    .slice(0, max)
    .map(
      (r) =>
        `${name(r[srcNs], r[src])} → ${name(r[dstNs], r[dst])}${r[cluster] ? ` (${String(r[cluster])})` : ''}: ${r.requests} request(s)`
    );
  return `${table.rows.length} new edge(s): ${shown.join('; ')}${table.rows.length > max ? ` and ${table.rows.length - max} more` : ''}.`;
}

/**
 * `current unless baseline` from the window's counts-table rows (requests per edge, the rows
 * summed per edge) and the baseline's edges: an edge is new when no baseline series has its
 * very label set, as Loki's `unless` matches (a label Loki leaves out is an empty value).
 */
export function newEdgeSamples(current: readonly VectorSample[], baseline: readonly VectorSample[], ctx: QueryContext): VectorSample[] {
  const keys = edgeKeys(ctx);
  const keyOf = (metric: Record<string, string>) => JSON.stringify(keys.map((k) => metric[k] ?? ''));
  const seen = new Set(baseline.filter((s) => Number.isFinite(s.value)).map((s) => keyOf(s.metric)));
  const edges = new Map<string, VectorSample>();
  for (const row of current) {
    const key = keyOf(row.metric);
    if (seen.has(key) || !(row.value > 0)) {
      continue;
    }
    const edge = edges.get(key) ?? { metric: Object.fromEntries(keys.filter((k) => row.metric[k]).map((k) => [k, row.metric[k]])), timeMs: row.timeMs, value: 0 };
    edge.value += row.value;
    edges.set(key, edge);
  }
  return [...edges.values()];
}
