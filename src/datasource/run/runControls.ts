import type { DataFrame } from '@grafana/data';
import { describeMeasurement, evaluateControl, getControl } from '../../core/controls';
import type { QueryPlan } from '../../core/plan';
import type { QueryResponse } from '../../core/loki/types';
import { controlsFrame, type ControlRow } from '../frames/controlsFrame';
import { samplesOf } from '../topology/samples';
import { evidenceRequests } from '../../core/queries/control-evidence-count';
import type { RunContext } from './context';

type ControlsPlan = Extract<QueryPlan, { type: 'controls' }>;

/** The single measured value of a control query: none is "no evidence", several is a query bug. */
export function singleValue(response: QueryResponse, controlId: string): number | null {
  const samples = samplesOf(response, controlId);
  if (samples.length === 0) {
    return null;
  }
  if (samples.length > 1) {
    throw new Error(`The ${controlId} query returned ${samples.length} series instead of one value.`);
  }
  return Number.isFinite(samples[0].value) ? samples[0].value : null;
}

/** Newest line time (epoch ms) of the evidence log queries: one line each, newest first. */
async function lastEvidenceMs(exprs: string[], run: RunContext): Promise<number | null> {
  let newest: number | null = null;
  for (const expr of exprs) {
    const response = await run.client.queryRange({ query: expr, startMs: run.fromMs, endMs: run.toMs, limit: 1, direction: 'backward', noCache: true, signal: run.signal });
    if (response.resultType !== 'streams') {
      continue;
    }
    for (const stream of response.result) {
      for (const entry of stream.entries) {
        const ms = Number(entry.timeNs.slice(0, -6) || '0');
        newest = newest === null ? ms : Math.max(newest, ms);
      }
    }
  }
  return newest;
}

async function controlRow(q: ControlsPlan['queries'][number], plan: ControlsPlan, run: RunContext): Promise<ControlRow> {
  const control = getControl(q.controlId)!;
  const base = { id: control.id, criterion: control.criterion, title: control.title };
  if (q.expr === null) {
    return { ...base, status: 'no-evidence', evidenceCount: 0, lastEvidenceMs: null, detail: q.reason ?? 'Out of scope.' };
  }
  const policy = run.settings.policy;
  const counts = plan.evidenceCounts[q.controlId] ?? [];
  const [measuredResponse, ...countResponses] = await Promise.all([
    run.client.instantQuery({ query: q.expr, timeMs: run.toMs, noCache: true, signal: run.signal }),
    ...counts.map((c) => run.client.instantQuery({ query: c.expr, timeMs: run.toMs, noCache: true, signal: run.signal })),
  ]);
  const measured = singleValue(measuredResponse, control.id);
  const evidenceCount = evidenceRequests(countResponses.flatMap((r) => samplesOf(r, `${control.id} evidence count`)), run.settings.labelNames.cluster);
  const status = evaluateControl(control, measured, policy);
  const last = evidenceCount > 0 ? await lastEvidenceMs(q.logs.map((l) => l.expr), run) : null;
  return { ...base, status, evidenceCount, lastEvidenceMs: last, detail: describeMeasurement(control, measured) };
}

export async function runControls(plan: ControlsPlan, run: RunContext): Promise<DataFrame[]> {
  const rows = await Promise.all(plan.queries.map((q) => controlRow(q, plan, run)));
  return [controlsFrame(rows, run.refId)];
}
