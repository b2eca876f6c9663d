/**
 * Panel links from a control's evidence panels to the Audit evidence dashboard with that
 * control selected. The platform / cluster / namespace selection travels as `${var:queryparam}`
 * (Grafana's URL format for variables); `includeVars` is off because it would also copy this
 * dashboard's own `control` value and clash with the one the link sets.
 */
import { DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { ControlDefinition } from '../src/core/controls';
import { CONTROL_VARIABLE } from './controlVariable';
import { FILTER_VARIABLES } from './variableMatchers';

export const EVIDENCE_UID = 'mesh-audit-evidence';

export function evidenceLink(control: ControlDefinition): DashboardLinkBuilder {
  const params = [
    `var-${CONTROL_VARIABLE}=${encodeURIComponent(control.id)}`,
    ...FILTER_VARIABLES.map((name) => `\${${name}:queryparam}`),
  ];
  return new DashboardLinkBuilder(`Evidence lines: ${control.id}`)
    .type(DashboardLinkType.Link)
    .url(`/d/${EVIDENCE_UID}?${params.join('&')}`)
    .tooltip(`Open the Audit evidence dashboard for ${control.id}`)
    .keepTime(true)
    .includeVars(false)
    .targetBlank(false);
}
