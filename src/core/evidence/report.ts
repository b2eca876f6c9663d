/**
 * The evidence files an auditor gets, from the CLI (`mesh-audit report`) and the app's Evidence
 * export page alike: per control its evidence population as CSV (one row per request, RFC 4180)
 * and JSON (with the LogQL and window to re-run it and Loki's statistics), and one printable HTML
 * report of every control.
 */
import type { AnomalyResult } from './anomalies';
import type { ControlTrends } from './trend';
import { trendSvg } from './trend-chart';
import type { ControlEvidenceExport, EvidenceLine } from './population';
import { CRITERIA_GAPS, type ControlStatus } from '../controls';
import type { ClassRetention } from '../retention/evaluate';
import { formatRetentionDays } from '../retention/status';

export interface ReportControl {
  id: string;
  criterion: string;
  title: string;
  status: ControlStatus;
  measured: number | null;
  evidenceCount: number;
  detail: string;
  /** The value the measure is compared with (the policy's or the catalog's), for the trend chart. */
  threshold?: number;
  /** Undefined when the control had no query in scope (nothing to export). */
  evidence?: ControlEvidenceExport;
  /**
   * The evidence of a control that rests on no log lines, as a table: a retention control's log
   * classes as the retention query judged them, CC7.1's new edges. One row per evidence item.
   */
  table?: EvidenceTable;
}

export interface EvidenceTable {
  columns: readonly string[];
  rows: Array<Record<string, string | number | null>>;
}

const utcDay = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

/** The columns of a retention control's class table; `configured` is "400d", "forever" or "unknown". */
export const CLASS_COLUMNS = ['name', 'status', 'requiredDays', 'configured', 'configuredBasis', 'oldestDay', 'daysWithoutData', 'reason'] as const;

export function retentionClassRow(c: ClassRetention): Record<(typeof CLASS_COLUMNS)[number], string | number | null> {
  return {
    name: c.name,
    status: c.status,
    requiredDays: c.requiredDays,
    configured: c.configured.known ? formatRetentionDays(c.configured.periodMs) : 'unknown',
    configuredBasis: c.configured.known ? c.configured.basis : c.configured.why,
    oldestDay: utcDay(c.observed.oldestDayMs),
    daysWithoutData: c.observed.gapDaysMs.length,
    reason: c.reason,
  };
}

export interface Report {
  generatedAt: string;
  loki: string;
  tenant?: string;
  fromMs: number;
  toMs: number;
  controls: ReportControl[];
  /** Each service against its own baseline over the window; a string says why it was not run. */
  anomalies: AnomalyResult | string;
  /** The table-measured controls per bucket of the window; a string says why they were not drawn. */
  trends?: ControlTrends | string;
}

/** The record fields a row shows beside the line itself, as Loki returned them for the line. */
export const CSV_FIELDS = ['cluster', 'namespace', 'service_name', 'direction', 'src_namespace', 'src_workload', 'dst_namespace', 'dst_service', 'status', 'mtls', 'authz'] as const;

/** An audit window's end as typed by a person: RFC 3339 only, never a date string guessed at. */
export function parseRfc3339Ms(value: string): number | null {
  const ms = /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** RFC 3339 with the nanoseconds Loki stores, so a row names its line exactly. */
export function rfc3339Nano(timeNs: string): string {
  const ms = Number(timeNs.slice(0, -6) || '0');
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${timeNs.slice(-9).padStart(9, '0')}Z`;
}

/**
 * A CSV cell. Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading
 * apostrophe (OWASP "CSV injection"): log lines carry text any client sent. The JSON keeps every
 * value exactly.
 */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && value !== '-' ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function evidenceCsv(rows: readonly EvidenceLine[]): string {
  const header = ['time', ...CSV_FIELDS, 'line'];
  const body = rows.map((r) => [rfc3339Nano(r.timeNs), ...CSV_FIELDS.map((f) => r.labels[f] ?? ''), r.line].map(cell).join(','));
  return [header.join(','), ...body].map((l) => `${l}\r\n`).join('');
}

/** A control's evidence as CSV: its log lines, or its evidence table. */
export function controlCsv(control: ReportControl): string {
  const table = control.table;
  if (!table) {
    return evidenceCsv(control.evidence?.rows ?? []);
  }
  const body = table.rows.map((row) => table.columns.map((f) => cell(String(row[f] ?? ''))).join(','));
  return [table.columns.map(cell).join(','), ...body].map((l) => `${l}\r\n`).join('');
}

export function evidenceJson(control: ReportControl, report: Report): string {
  const e = control.evidence;
  return JSON.stringify(
    {
      control: { id: control.id, criterion: control.criterion, title: control.title, status: control.status, measured: control.measured, detail: control.detail },
      window: { from: new Date(report.fromMs).toISOString(), to: new Date(report.toMs).toISOString(), bounds: '(from, to]' },
      evidenceCount: control.evidenceCount,
      rows: e?.rows.length ?? 0,
      linesRead: e?.linesRead ?? 0,
      queries: e?.queries ?? [],
      loki: { url: report.loki, tenant: report.tenant ?? null, requests: e?.lokiRequests ?? 0, stats: e?.stats ?? null },
      population: (e?.rows ?? []).map((r) => ({ time: rfc3339Nano(r.timeNs), timeNs: r.timeNs, labels: r.labels, line: r.line })),
      ...(control.table ? { table: control.table } : {}),
    },
    null,
    1
  );
}

/** Whether the exported population is the control's evidence count: anything else is not evidence. */
export function populationMatches(control: ReportControl): boolean {
  if (control.table) {
    return control.table.rows.length === control.evidenceCount;
  }
  return control.evidence === undefined ? control.evidenceCount === 0 : control.evidence.rows.length === control.evidenceCount;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Under the control table: what the charts show, the LogQL behind them, or why there are none. */
function trendNote(trends: Report['trends']): string {
  if (trends === undefined) {
    return '';
  }
  if (typeof trends === 'string') {
    return `<p>Trends: ${escapeHtml(trends)}</p>`;
  }
  return (
    `<p>Trends: each share and count control measured per ${trends.stepMs / 60_000}-minute bucket of the window by the same rule as over the whole window, from these counts (one query per pipeline, run as a range query with that step):</p>` +
    trends.queries.map((q) => `<pre>${escapeHtml(q)}</pre>`).join('')
  );
}

export function reportHtml(report: Report): string {
  const window = `${new Date(report.fromMs).toISOString()} – ${new Date(report.toMs).toISOString()}`;
  const rows = report.controls
    .map((c) => {
      const matches = populationMatches(c);
      const points = typeof report.trends === 'object' ? report.trends.points[c.id] : undefined;
      const chart = points ? (trendSvg(points, c.threshold, escapeHtml(`${c.id} per bucket`)) ?? '') : '';
      return (
        `<tr class="${escapeHtml(String(c.status))}"><td>${escapeHtml(c.criterion)}</td><td>${escapeHtml(c.id)}<br><small>${escapeHtml(c.title)}</small></td>` +
        `<td class="status">${escapeHtml(String(c.status).toUpperCase())}</td><td>${escapeHtml(c.detail)}${chart}</td>` +
        `<td class="num">${c.evidenceCount}</td><td class="num${matches ? '' : ' mismatch'}">${c.evidence ? c.evidence.rows.length : c.table ? `${c.table.rows.length} rows` : '–'}${matches ? '' : ' (does not match)'}</td></tr>`
      );
    })
    .join('\n');
  const queries = report.controls
    .filter((c) => c.evidence)
    .map(
      (c) =>
        `<h3>${escapeHtml(c.id)}</h3><p>${c.evidence!.rows.length} requests from ${c.evidence!.linesRead} lines, ${c.evidence!.lokiRequests} Loki requests; files ${escapeHtml(c.id)}.csv and ${escapeHtml(c.id)}.json.</p>` +
        c.evidence!.queries.map((q) => `<pre>${escapeHtml(q.profile ? `# ${q.profile}\n` : '')}${escapeHtml(q.expr)}</pre>`).join('')
    )
    .join('\n');
  const gaps = CRITERIA_GAPS.map(
    (g) => `<tr><td>${escapeHtml(g.criteria)}</td><td>${escapeHtml(g.title)}</td><td>${g.kind === 'not-from-access-logs' ? 'not from access logs' : 'not yet in the catalog'}</td><td>${escapeHtml(g.why)}</td></tr>`
  ).join('\n');
  const anomalies =
    typeof report.anomalies === 'string'
      ? `<p>${escapeHtml(report.anomalies)}</p>`
      : report.anomalies.anomalies.length === 0
        ? `<p>None: every service stayed within its own baseline in all ${report.anomalies.buckets} buckets of ${report.anomalies.stepMs / 60_000} minutes.</p>`
        : `<table><thead><tr><th>Kind</th><th>Service</th><th>Finding</th></tr></thead><tbody>${report.anomalies.anomalies
            .map((a) => `<tr><td>${escapeHtml(a.kind)}</td><td>${escapeHtml(`${a.cluster}/${a.namespace}/${a.service}`)}</td><td>${escapeHtml(a.reason)}</td></tr>`)
            .join('\n')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mesh Audit SOC 2 evidence report</title>
<style>
body { font: 12px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
td.num { text-align: right; }
tr.fail td.status { color: #b00; font-weight: bold; }
tr.pass td.status { color: #070; font-weight: bold; }
tr.no-evidence td.status { color: #a60; font-weight: bold; }
.mismatch { color: #b00; font-weight: bold; }
pre { white-space: pre-wrap; word-break: break-all; background: #f4f4f4; padding: 6px; }
figure.trend { margin: 6px 0 0; } figcaption { color: #555; font-size: 10px; }
@media print { h2 { page-break-before: always; } }
</style></head><body>
<h1>Mesh Audit — SOC 2 evidence report</h1>
<p>Audit window ${escapeHtml(window)} (lines after the start, up to and including the end).<br>
Loki ${escapeHtml(report.loki)}${report.tenant ? `, tenant ${escapeHtml(report.tenant)}` : ''}. Generated ${escapeHtml(report.generatedAt)}.</p>
<table><thead><tr><th>Criterion</th><th>Control</th><th>Status</th><th>Reason</th><th>Evidence (requests)</th><th>Exported rows</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${trendNote(report.trends)}
<h2>Anomalies (CC7.2): each service against its own baseline</h2>
<p>Per service, the 5xx share and the requests its own proxy logged in each bucket, against the median and median absolute deviation of its buckets in this window.</p>
${anomalies}
<h2>Criteria this report does not evidence</h2>
<table><thead><tr><th>Criteria</th><th>Subject</th><th>Gap</th><th>Why, and where the evidence is</th></tr></thead>
<tbody>
${gaps}
</tbody></table>
<h2>Queries to re-perform</h2>
<p>Each control's population is the lines of these LogQL queries over the window, one line kept per request (per callee, the side that logged more). Run them in Grafana Explore or with logcli over the same window.</p>
${queries}
</body></html>
`;
}
