import type { LoggingPolicy } from '../policy';
import type { ControlDefinition, ControlStatus, ThresholdRef } from './types';

export function thresholdValue(ref: ThresholdRef, policy: LoggingPolicy): number {
  return 'value' in ref ? ref.value : policy.thresholds[ref.policy];
}

/**
 * Status of a control from its measured value. No value (no data, NaN) is `no-evidence`, never
 * `pass`: an auditor cannot accept a control whose evidence is missing. A threshold the policy
 * leaves non-numeric also gives `no-evidence` rather than a guess.
 */
export function evaluateControl(
  control: ControlDefinition,
  measured: number | null,
  policy: LoggingPolicy
): ControlStatus {
  if (measured === null || !Number.isFinite(measured)) {
    return 'no-evidence';
  }
  const [ref, passes] =
    'atLeast' in control.pass
      ? [control.pass.atLeast, (t: number) => measured >= t]
      : [control.pass.atMost, (t: number) => measured <= t];
  const threshold = thresholdValue(ref, policy);
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    return 'no-evidence';
  }
  return passes(threshold) ? 'pass' : 'fail';
}
