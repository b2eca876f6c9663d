/**
 * Short names of the Trust Services Criteria the control catalog draws on (AICPA TSP section
 * 100, 2017 criteria), for panel titles. Grouping is by the catalog's own `criterion` field.
 */
import type { ControlDefinition, Criterion } from '../src/core/controls';

export const CRITERION_NAMES: Record<Criterion, string> = {
  'CC4.1': 'Ongoing evaluations of controls',
  'CC6.1': 'Logical access security',
  'CC6.3': 'Access by role and least privilege',
  'CC6.6': 'Threats from outside the system boundary',
  'CC6.7': 'Information in transmission',
  'CC6.8': 'Unauthorized or malicious software',
  'CC7.1': 'Detection of configuration changes',
  'CC7.2': 'Monitoring for anomalies',
  'A1.1': 'Capacity management',
  'A1.2': 'Availability of infrastructure and software',
  'C1.1': 'Confidential information identified and kept',
  'C1.2': 'Confidential information disposed of',
};

/** A criterion's short name; a policy's own control may name one the catalog does not use. */
export function criterionName(criterion: string): string {
  return (CRITERION_NAMES as Record<string, string>)[criterion] ?? 'Trust Services Criterion';
}

/** Controls grouped by criterion, in catalog order. */
export function controlsByCriterion(controls: readonly ControlDefinition[]): Array<[string, ControlDefinition[]]> {
  const groups = new Map<string, ControlDefinition[]>();
  for (const control of controls) {
    groups.set(control.criterion, [...(groups.get(control.criterion) ?? []), control]);
  }
  return [...groups.entries()];
}
