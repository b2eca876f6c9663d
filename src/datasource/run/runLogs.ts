import type { DataFrame } from '@grafana/data';
import type { LogStream } from '../../core/loki/types';
import { logsFrame } from '../frames/logsFrame';
import { normalizerFor } from '../logs/normalizer';
import type { QueryPlan } from '../plan';
import { warningNotices, type RunContext } from './context';

type LogsPlan = Extract<QueryPlan, { type: 'logs' }>;

/** The drill-down lines, newest first, each normalised by the profile its query selected. */
export async function runLogs(plan: LogsPlan, run: RunContext): Promise<DataFrame[]> {
  const frames: DataFrame[] = [];
  for (const q of plan.queries) {
    const response = await run.client.queryRange({
      query: q.expr,
      startMs: run.fromMs,
      endMs: run.toMs,
      limit: q.limit,
      direction: 'backward',
      categorizeLabels: true,
      signal: run.signal,
    });
    if (response.resultType !== 'streams' && response.resultType !== 'empty') {
      throw new Error(`The logs query "${q.name}" returned ${response.resultType} instead of log lines.`);
    }
    const streams: LogStream[] = response.resultType === 'streams' ? response.result : [];
    const frame = logsFrame(streams, normalizerFor(run.settings.logSource, q.profile), run.refId);
    if (response.warnings.length > 0) {
      frame.meta = { ...frame.meta, notices: warningNotices(response.warnings) };
    }
    frames.push(frame);
  }
  return frames;
}
