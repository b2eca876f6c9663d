/**
 * The controls query type on the demo records: per catalog control the measured value as the
 * control's LogQL defines it (src/core/queries/controls.ts `evidenceExpr`), the evidence count
 * and newest evidence line over `evidenceLogs` (control-evidence-count.ts, logs.ts), the verdict
 * from core's `evaluateControl`, worded as the data source's runControls words it, then the
 * data source's own `controlsFrame`.
 */
import type { DataFrame } from '@grafana/data';
import { CONTROL_CATALOG, describeMeasurement, evaluateControl, type ControlDefinition } from '../../../src/core/controls';
import type { LoggingPolicy } from '../../../src/core/policy';
import { policyListsUsed, type FieldFilter } from '../../../src/core/queries/field-filter';
import { controlsFrame, type ControlRow } from '../../../src/datasource/frames/controlsFrame';
import { matchesAll, sumCountBy, type LokiEntry } from './lokiStandIn';

/** Same rule as buildControlQueries: a control whose policy list is empty has nothing in scope. */
function missingScope(control: ControlDefinition, policy: LoggingPolicy): string | undefined {
  const e = control.evidence;
  const filters: FieldFilter[] =
    e.kind === 'coverage' ? [{ field: e.field, inPolicyList: e.list }] : e.kind === 'share' ? [...e.scope, ...e.match] : [...e.match];
  const empty = policyListsUsed(filters).find((list) => policy[list].length === 0);
  return empty ? `policy.${empty} is empty, so ${control.id} has nothing in scope` : undefined;
}

/** The single value of the control's metric query over [fromMs, toMs]; null when Loki would return none. */
export function measuredValue(control: ControlDefinition, entries: readonly LokiEntry[], policy: LoggingPolicy, range: { fromMs: number; toMs: number }): number | null {
  const e = control.evidence;
  const count = (match: readonly FieldFilter[], keys: readonly string[], inRange: readonly LokiEntry[] = entries) =>
    sumCountBy(inRange, keys, (entry) => matchesAll(entry, match, policy), range.toMs);
  switch (e.kind) {
    case 'share': {
      const keys = (e.groupBy ?? []) as string[];
      const scoped = count(e.scope, keys);
      const matched = new Map(count([...e.scope, ...e.match], keys).map((s) => [JSON.stringify(s.metric), s.value]));
      // `matched or (scoped * 0)` / scoped: a group with scope but no match is 0.
      const shares = scoped.map((s) => (matched.get(JSON.stringify(s.metric)) ?? 0) / s.value);
      if (shares.length === 0) {
        return null;
      }
      if (e.reduce === 'max') {
        return Math.max(...shares);
      }
      if (e.reduce === 'min') {
        return Math.min(...shares);
      }
      if (shares.length > 1) {
        throw new Error(`${control.id}: ungrouped share with ${shares.length} series`);
      }
      return shares[0];
    }
    case 'count': {
      // `matched or (all * 0)`: 0 when there was traffic but no match, nothing without traffic.
      if (entries.length === 0) {
        return null;
      }
      return count(e.match, []).reduce((n, s) => n + s.value, 0);
    }
    case 'coverage': {
      const listed = new Set(policy[e.list]);
      const windowMs = policy.thresholds[e.windowMinutes] * 60_000;
      // count_over_time(...[window]) at the range end: lines in (end - window, end].
      const recent = entries.filter((x) => x.timeMs > range.toMs - windowMs && x.timeMs <= range.toMs);
      const present = count([{ field: e.field, inPolicyList: e.list }, ...(e.reportedBy ?? [])], [e.field], recent);
      return present.length / listed.size;
    }
  }
}

export function demoControlRows(entries: readonly LokiEntry[], policy: LoggingPolicy, range: { fromMs: number; toMs: number }): ControlRow[] {
  return CONTROL_CATALOG.map((control) => {
    const base = { id: control.id, criterion: control.criterion, title: control.title };
    const reason = missingScope(control, policy);
    if (reason) {
      return { ...base, status: 'no-evidence', evidenceCount: 0, lastEvidenceMs: null, detail: reason };
    }
    const measured = measuredValue(control, entries, policy, range);
    const evidence = entries.filter((x) => matchesAll(x, control.evidenceLogs, policy));
    const lastEvidenceMs = evidence.reduce<number | null>((t, x) => (t === null || x.timeMs > t ? x.timeMs : t), null);
    return {
      ...base,
      status: evaluateControl(control, measured, policy),
      evidenceCount: evidence.length,
      lastEvidenceMs,
      detail: describeMeasurement(control, measured),
    };
  });
}

export function demoControlsFrames(entries: readonly LokiEntry[], policy: LoggingPolicy, range: { fromMs: number; toMs: number }): DataFrame[] {
  return [controlsFrame(demoControlRows(entries, policy, range), 'A')];
}
