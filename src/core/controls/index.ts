/**
 * The SOC 2 control catalog (data) and control evaluation.
 * - `CONTROL_CATALOG`, `CONTROL_IDS`, `getControl(id)`: the controls, see catalog.ts.
 * - `evaluateControl(control, measured, policy)`: 'pass' | 'fail' | 'no-evidence'.
 * Evidence queries for a control come from `buildControlQueries` in src/core/queries.
 */
export * from './types';
export { CONTROL_CATALOG, CONTROL_IDS, controlsOf, getControl } from './catalog';
export { evaluateControl, passThreshold, thresholdValue } from './evaluate';
export { describeMeasurement } from './describe';
export { CRITERIA_GAPS, type CriterionGap } from './gaps';
