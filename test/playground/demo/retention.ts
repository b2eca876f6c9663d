/**
 * The retention query type on sampled demo traffic: per policy log class, the daily
 * `sum(count_over_time({<class selector>}[1d]))` as a matrix with points at UTC midnights (each
 * counting the day before it), then the data source's own `retentionRows` and `retentionFrame`.
 * Only stream labels are used, as in the LogQL; no line is parsed. Counts are estimates from
 * sampled minutes (see window.ts); days without lines are never invented or hidden.
 */
import type { DataFrame } from '@grafana/data';
import { generate } from '../../../loggen/generate';
import type { MatrixSeries } from '../../../src/core/loki/types';
import type { LogClass, LoggingPolicy } from '../../../src/core/policy';
import { DAY_MS, retentionFrame, retentionRows, type RetentionRow } from '../../../src/datasource/frames/retentionFrame';
import { streamLabels } from './lines';
import { DEMO_RATE, DEMO_SEED, RETENTION_SAMPLE_EVERY_MS, RETENTION_SAMPLE_MS, RETENTION_SAMPLE_OFFSET_MS } from './window';

export interface RetentionSampling {
  seed: number;
  ratePerSecond: number;
  offsetMs: number;
  sampleMs: number;
  everyMs: number;
}

export const DEMO_SAMPLING: RetentionSampling = {
  seed: DEMO_SEED,
  ratePerSecond: DEMO_RATE,
  offsetMs: RETENTION_SAMPLE_OFFSET_MS,
  sampleMs: RETENTION_SAMPLE_MS,
  everyMs: RETENTION_SAMPLE_EVERY_MS,
};

const selects = (logClass: LogClass, stream: Record<string, string>) =>
  Object.entries(logClass.selector).every(([k, v]) => stream[k] === v);

/** Estimated daily line counts per class, as the range query's matrix (one series, or none). */
export function demoRetentionSeries(
  classes: readonly LogClass[],
  range: { fromMs: number; toMs: number },
  sampling: RetentionSampling = DEMO_SAMPLING
): Map<string, MatrixSeries[]> {
  const perClassDay = new Map<string, Map<number, number>>(classes.map((c) => [c.name, new Map()]));
  const scale = sampling.everyMs / sampling.sampleMs;
  for (let slot = Math.floor(range.fromMs / sampling.everyMs) * sampling.everyMs; slot < range.toMs; slot += sampling.everyMs) {
    const start = Math.max(slot + sampling.offsetMs, range.fromMs);
    const end = Math.min(slot + sampling.offsetMs + sampling.sampleMs, range.toMs);
    if (end <= start) {
      continue;
    }
    for (const line of generate({ seed: sampling.seed, start, durationMs: end - start, ratePerSecond: sampling.ratePerSecond })) {
      const stream = streamLabels(line);
      // The point at the next UTC midnight counts this line's day.
      const point = Math.floor(line.timeMs / DAY_MS) * DAY_MS + DAY_MS;
      for (const logClass of classes) {
        if (selects(logClass, stream)) {
          const days = perClassDay.get(logClass.name)!;
          days.set(point, (days.get(point) ?? 0) + scale);
        }
      }
    }
  }
  return new Map(
    classes.map((c) => {
      const days = perClassDay.get(c.name)!;
      const values = [...days.entries()].sort((a, b) => a[0] - b[0]);
      // Loki returns no series at all when the selector matched nothing.
      return [c.name, values.length === 0 ? [] : [{ metric: {}, values }]];
    })
  );
}

export function demoRetentionRows(policy: LoggingPolicy, range: { fromMs: number; toMs: number }, sampling: RetentionSampling = DEMO_SAMPLING): RetentionRow[] {
  const series = demoRetentionSeries(policy.logClasses, range, sampling);
  return policy.logClasses.flatMap((c) => retentionRows(c, series.get(c.name) ?? [], range));
}

export function demoRetentionFrames(policy: LoggingPolicy, range: { fromMs: number; toMs: number }, sampling?: RetentionSampling): DataFrame[] {
  return [retentionFrame(demoRetentionRows(policy, range, sampling), 'A')];
}
