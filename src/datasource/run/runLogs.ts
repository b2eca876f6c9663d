import type { DataFrame } from '@grafana/data';
import type { LogStream } from '../../core/loki/types';
import { logsFrame } from '../frames/logsFrame';
import { normalizerFor } from '../drilldown/normalizer';
import type { QueryPlan } from '../../core/plan';
import { warningNotices, type RunContext } from './context';

type LogsPlan = Extract<QueryPlan, { type: 'logs' }>;

/**
 * Merges the answers of the per-profile queries: two profiles of one mesh (istio-text and
 * istio-json share `mesh="istio"`) can return the same line, which must appear once.
 */
export function mergeStreams(answers: LogStream[][], limit: number): LogStream[] {
  const seen = new Set<string>();
  const rows: Array<{ labels: Record<string, string>; entry: LogStream['entries'][number] }> = [];
  for (const streams of answers) {
    for (const stream of streams) {
      const key = JSON.stringify(Object.entries(stream.labels).sort());
      for (const entry of stream.entries) {
        const id = `${key}\u0000${entry.timeNs}\u0000${entry.line}`;
        if (!seen.has(id)) {
          seen.add(id);
          rows.push({ labels: stream.labels, entry });
        }
      }
    }
  }
  const newestFirst = (a: string, b: string) => (a.length !== b.length ? b.length - a.length : a < b ? 1 : a > b ? -1 : 0);
  rows.sort((a, b) => newestFirst(a.entry.timeNs, b.entry.timeNs));
  return rows.slice(0, limit).map((r) => ({ labels: r.labels, entries: [r.entry] }));
}

/** The drill-down lines, newest first, deduplicated, each normalised into the common schema. */
export async function runLogs(plan: LogsPlan, run: RunContext): Promise<DataFrame[]> {
  const responses = await Promise.all(
    plan.queries.map((q) =>
      run.client.queryRange({ query: q.expr, startMs: run.fromMs, endMs: run.toMs, limit: q.limit, direction: 'backward', categorizeLabels: true, noCache: true, signal: run.signal })
    )
  );
  const answers = responses.map((response, i) => {
    if (response.resultType !== 'streams' && response.resultType !== 'empty') {
      throw new Error(`The logs query "${plan.queries[i].name}" returned ${response.resultType} instead of log lines.`);
    }
    return response.resultType === 'streams' ? response.result : [];
  });
  const limit = Math.max(0, ...plan.queries.map((q) => q.limit));
  // Detection per line: a profile's query can also match lines of a sibling format of its mesh.
  const frame = logsFrame(mergeStreams(answers, limit), normalizerFor(run.settings.logSource), run.refId);
  const warnings = [...new Set(responses.flatMap((r) => r.warnings))];
  if (warnings.length > 0) {
    frame.meta = { ...frame.meta, notices: warningNotices(warnings) };
  }
  return [frame];
}
