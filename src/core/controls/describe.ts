import type { ControlDefinition } from './types';

/** A measured value in words for the controls panel: counts as integers, shares to four digits. */
export function describeMeasurement(control: ControlDefinition, measured: number | null): string {
  if (measured === null) {
    return 'No access logs in the range to measure this control.';
  }
  const value = Number.isInteger(measured) ? measured.toLocaleString('en-US') : String(Number(measured.toPrecision(4)));
  return `${control.measure}: ${value}`;
}
