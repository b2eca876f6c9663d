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
