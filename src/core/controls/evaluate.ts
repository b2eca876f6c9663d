import type { LoggingPolicy } from '../policy';
import type { ControlDefinition, ControlStatus, ThresholdRef } from './types';

export function thresholdValue(ref: ThresholdRef, policy: LoggingPolicy): number {
  return 'value' in ref ? ref.value : policy.thresholds[ref.policy];
}

/** A control's pass condition read once: which side passes, and the threshold under this policy. */
export function passThreshold(control: ControlDefinition, policy: LoggingPolicy): { atLeast: boolean; threshold: number } {
  return 'atLeast' in control.pass
    ? { atLeast: true, threshold: thresholdValue(control.pass.atLeast, policy) }
    : { atLeast: false, threshold: thresholdValue(control.pass.atMost, policy) };
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
  const { atLeast, threshold } = passThreshold(control, policy);
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    return 'no-evidence';
  }
  return (atLeast ? measured >= threshold : measured <= threshold) ? 'pass' : 'fail';
}
