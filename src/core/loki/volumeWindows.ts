/**
 * A volume_range over a range of any length: consecutive windows of whole steps that each fit
 * max_query_length and the points cap, their answers merged into one matrix. A window whose range
 * holds a single step bucket comes back as a vector; its samples become one-point series.
 */
import { mergeMatrix } from './mergeResults';
import type { VolumeResponse } from './parse/parseVolume';
import { splitRange, type TimeRange } from './rangeSplit';
import type { MatrixSeries } from './types';

/** A volume_range answer over a whole range, however many windows it took. */
export interface VolumeRangeSplitResult {
  series: MatrixSeries[];
  /** Requests sent, one per window. */
  requests: number;
  warnings: string[];
}

export async function volumeWindows(
  range: TimeRange,
  stepMs: number,
  maxLengthMs: number,
  maxPoints: number,
  ask: (window: TimeRange) => Promise<VolumeResponse>
): Promise<VolumeRangeSplitResult> {
  const parts: MatrixSeries[][] = [];
  const warnings: string[] = [];
  const windows = splitRange(range, stepMs, maxLengthMs, maxPoints);
  for (const window of windows) {
    const answer = await ask(window);
    warnings.push(...answer.warnings);
    parts.push(
      answer.resultType === 'matrix'
        ? answer.result
        : answer.resultType === 'vector'
          ? answer.result.map((s) => ({ metric: s.metric, values: [[s.timeMs, s.value]] as Array<[number, number]> }))
          : []
    );
  }
  return { series: mergeMatrix(parts), requests: windows.length, warnings: [...new Set(warnings)] };
}
