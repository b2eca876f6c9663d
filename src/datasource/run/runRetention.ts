import type { DataFrame } from '@grafana/data';
import { DAY_MS } from '../../core/frames';
import { retentionFrame, retentionRows, type RetentionRow } from '../frames/retentionFrame';
import type { QueryPlan } from '../../core/plan';
import { warningNotices, type RunContext } from './context';

type RetentionPlan = Extract<QueryPlan, { type: 'retention' }>;

/**
 * The evaluation grid: points at UTC midnights, each counting the day before it, from the end of
 * the first day of the range to the end of its last (partial) day.
 */
export function dailyGrid(fromMs: number, toMs: number): { startMs: number; endMs: number } {
  const startMs = Math.floor(fromMs / DAY_MS) * DAY_MS + DAY_MS;
  const endMs = Math.max(Math.ceil(toMs / DAY_MS) * DAY_MS, startMs + 1);
  return { startMs, endMs };
}

export async function runRetention(plan: RetentionPlan, run: RunContext): Promise<DataFrame[]> {
  const grid = dailyGrid(run.fromMs, run.toMs);
  const rows: RetentionRow[] = [];
  const warnings: string[] = [];
  for (const q of plan.queries) {
    const response = await run.client.queryRange({ query: q.expr, startMs: grid.startMs, endMs: grid.endMs, stepMs: q.stepMs, signal: run.signal });
    warnings.push(...response.warnings);
    if (response.resultType !== 'matrix' && response.resultType !== 'vector' && response.resultType !== 'empty') {
      throw new Error(`The retention query for "${q.name}" returned ${response.resultType} instead of daily counts.`);
    }
    const series =
      response.resultType === 'matrix'
        ? response.result
        : response.resultType === 'vector'
          ? response.result.map((s) => ({ metric: s.metric, values: [[s.timeMs, s.value]] as Array<[number, number]> }))
          : [];
    const logClass = run.settings.policy.logClasses.find((c) => c.name === q.name) ?? { name: q.name, selector: {}, retentionDays: q.requiredDays };
    rows.push(...retentionRows(logClass, series, { fromMs: run.fromMs, toMs: run.toMs }));
  }
  const frame = retentionFrame(rows, run.refId);
  if (warnings.length > 0) {
    frame.meta = { ...frame.meta, notices: warningNotices([...new Set(warnings)]) };
  }
  return [frame];
}
