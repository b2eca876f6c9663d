/**
 * An audit window's evidence: every control measured by the controls runner (the panel's own
 * numbers), then each in-scope control's full evidence population. The CLI's `report` and the
 * app's Evidence export page both run this, so both hand over what the dashboards show.
 */
import { getControl, passThreshold } from '../core/controls';
import { findAnomalies, WindowTooShortError } from '../core/evidence/anomalies';
import { controlTrends } from '../core/evidence/trend';
import { LokiError } from '../core/loki/errors';
import { exportControlEvidence } from '../core/evidence/population';
import type { Report, ReportControl } from '../core/evidence/report';
import type { LokiClient } from '../core/loki/client';
import { planQuery } from '../core/plan';
import { measureControls } from './run/runControls';
import type { ResolvedSettings } from './settings';

export interface CollectEvidenceParams {
  client: LokiClient;
  settings: ResolvedSettings;
  fromMs: number;
  toMs: number;
  /** Control ids; empty for the whole catalog. */
  controls: readonly string[];
  /** Lines per Loki request, at most the Loki's max_entries_limit_per_query. */
  pageLines?: number;
  signal?: AbortSignal;
  onProgress?: (controlId: string, linesRead: number, atMs: number) => void;
}

export async function collectEvidence(params: CollectEvidenceParams): Promise<Pick<Report, 'fromMs' | 'toMs' | 'controls' | 'anomalies' | 'trends'>> {
  const { client, settings, fromMs, toMs, signal } = params;
  const plan = planQuery({ queryType: 'controls', controls: [...params.controls] }, settings, toMs - fromMs);
  if (plan.type !== 'controls') {
    throw new Error('expected a controls plan');
  }
  const { rows, tables } = await measureControls(plan, { client, fromMs, toMs, refId: 'evidence', settings, signal });
  const controls: ReportControl[] = [];
  for (const { id, criterion, title, status, measured, evidenceCount, detail } of rows) {
    const definition = getControl(id, settings.policy);
    const threshold = definition ? passThreshold(definition, settings.policy).threshold : undefined;
    const control: ReportControl = { id, criterion, title, status, measured, evidenceCount, detail, ...(typeof threshold === 'number' ? { threshold } : {}) };
    if (tables[id]) {
      control.table = tables[id];
    } else if (plan.queries.find((q) => q.controlId === id)?.expr !== null) {
      control.evidence = await exportControlEvidence({
        client,
        settings,
        controlId: id,
        fromMs,
        toMs,
        pageLines: params.pageLines,
        signal,
        onProgress: params.onProgress && ((lines, atMs) => params.onProgress!(id, lines, atMs)),
      });
    }
    controls.push(control);
  }
  let trends: Report['trends'];
  try {
    trends = await controlTrends({ client, settings, controlIds: rows.map((r) => r.id), fromMs, toMs, signal });
  } catch (error) {
    if (!(error instanceof LokiError)) {
      throw error;
    }
    trends = `Not drawn: ${error.message}`;
  }
  let anomalies: Report['anomalies'];
  try {
    anomalies = await findAnomalies({ client, settings, fromMs, toMs, signal });
  } catch (error) {
    if (!(error instanceof WindowTooShortError)) {
      throw error;
    }
    anomalies = `Not run: ${error.message}`;
  }
  return { fromMs, toMs, controls, anomalies, trends };
}
