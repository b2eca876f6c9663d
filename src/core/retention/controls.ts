/**
 * The retention controls' values (controls/types.ts `retention`) from the retention query's class
 * verdicts (evaluate.ts) and whether Loki's compactor deletes at all: the same verdicts the
 * retention panel shows, folded into one number with its reason. A class that cannot be judged
 * (a range too short for its requirement, a configuration that could not be read) withholds the
 * pass: an auditor cannot accept retention that was not shown.
 */
import type { ClassRetention } from './evaluate';
import { formatRetentionDays } from './status';

/** Whether Loki's compactor applies retention (compactor.retention_enabled), or why that is unknown. */
export type CompactorDeletes = boolean | { unknown: string };

export interface RetentionControlValue {
  measured: number | null;
  detail: string;
}

const named = (classes: readonly ClassRetention[], what: (c: ClassRetention) => string) =>
  classes.map((c) => `${c.name}: ${what(c)}`).join(' ');

export function retentionControlValue(
  aspect: 'kept' | 'disposed',
  classes: readonly ClassRetention[],
  deletes: CompactorDeletes
): RetentionControlValue {
  if (classes.length === 0) {
    return { measured: null, detail: 'No log class to judge.' };
  }
  const share = (n: number) => n / classes.length;
  if (aspect === 'kept') {
    const failing = classes.filter((c) => c.status === 'configured-short' || c.status === 'gap');
    const meeting = classes.filter((c) => c.status === 'meets').length;
    if (failing.length > 0) {
      return {
        measured: share(meeting),
        detail: `${failing.length} of ${classes.length} class(es) short of the policy. ${named(failing, (c) => c.reason)}`,
      };
    }
    const unjudged = classes.filter((c) => c.status !== 'meets');
    if (unjudged.length > 0) {
      return {
        measured: null,
        detail: `${unjudged.length} of ${classes.length} class(es) not shown to meet the policy. ${named(unjudged, (c) => c.reason)}`,
      };
    }
    return {
      measured: 1,
      detail: `Every one of ${classes.length} class(es) meets its retention. ${named(classes, (c) => c.reason)}`,
    };
  }
  const unreadable = classes.filter((c) => !c.configured.known);
  if (unreadable.length > 0) {
    return {
      measured: null,
      detail: `Loki's configured retention is unknown: ${named(unreadable, (c) => (c.configured.known ? '' : c.configured.why))}`,
    };
  }
  if (typeof deletes !== 'boolean') {
    return { measured: null, detail: `Whether Loki's compactor deletes anything is unknown: ${deletes.unknown}` };
  }
  if (!deletes) {
    return {
      measured: 0,
      detail: 'compactor.retention_enabled is false: Loki deletes nothing, whatever the retention periods say.',
    };
  }
  const periodOf = (c: ClassRetention) => (c.configured.known ? c.configured.periodMs : 0);
  const forever = classes.filter((c) => periodOf(c) === 0);
  const periods = named(classes, (c) => `${formatRetentionDays(periodOf(c))}.`);
  return {
    measured: share(classes.length - forever.length),
    detail:
      forever.length > 0
        ? `${forever.length} of ${classes.length} class(es) kept forever. The compactor applies retention; ${periods}`
        : `The compactor applies retention and every class has a finite period: ${periods}`,
  };
}
