/**
 * The `control` variable: one catalog control id, for the evidence drill-down. Single-value on
 * purpose — the data source's `logs.controlId` takes exactly one id — and used only in Mesh
 * Audit targets (never inside LogQL), where the data source looks the id up in the catalog.
 */
import { CustomVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { CONTROL_IDS } from '../src/core/controls';

export const CONTROL_VARIABLE = 'control';

export function controlVariable(): CustomVariableBuilder {
  const [first] = CONTROL_IDS;
  // Custom variable values are comma-separated; catalog ids are `<criterion>-<slug>` (no commas).
  if (CONTROL_IDS.some((id) => id.includes(','))) {
    throw new Error('control ids must not contain commas');
  }
  return new CustomVariableBuilder(CONTROL_VARIABLE)
    .label('Control')
    .description('SOC 2 control whose evidence lines are shown')
    .values(CONTROL_IDS.join(','))
    .multi(false)
    .includeAll(false)
    .allowCustomValue(false)
    .current({ selected: true, text: first, value: first })
    .options(CONTROL_IDS.map((id) => ({ selected: id === first, text: id, value: id })));
}
