import React, { useMemo, useRef, useState } from 'react';
import { Alert, Button, Combobox, Field, Input, MultiCombobox, Stack, Text } from '@grafana/ui';
import { CONTROL_CATALOG } from '../core/controls';
import { controlCsv, evidenceJson, parseRfc3339Ms, populationMatches, reportHtml, type Report } from '../core/evidence/report';
import { MAX_LOG_LIMIT } from '../core/queries/logs';
import type { MeshAuditDataSource } from '../datasource/datasource';

/** What the page needs of a Mesh Audit data source. */
export type EvidenceSource = Pick<MeshAuditDataSource, 'exportEvidence'>;

export interface EvidenceExportProps {
  dataSources: ReadonlyArray<{ uid: string; name: string }>;
  load: (uid: string) => Promise<EvidenceSource>;
  /** The form's first values (a link from a dashboard can carry the audit window). */
  initial?: { from?: string; to?: string; controls?: string[]; pageLines?: number };
}

function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function defaultWindow(): { from: string; to: string } {
  const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  return { from: new Date(to.valueOf() - 86_400_000).toISOString(), to: to.toISOString() };
}

/**
 * The Evidence export page: for an audit window, every control's status and its full evidence
 * population, through the chosen Mesh Audit data source (and so the Loki data source's proxy),
 * downloaded as CSV, JSON or a printable HTML report. A population that is not the control's
 * evidence count is flagged and not offered as evidence.
 */
export function EvidenceExport({ dataSources, load, initial = {} }: EvidenceExportProps) {
  const fallback = useMemo(() => defaultWindow(), []);
  const [uid, setUid] = useState(dataSources[0]?.uid);
  const [from, setFrom] = useState(initial.from ?? fallback.from);
  const [to, setTo] = useState(initial.to ?? fallback.to);
  const [controls, setControls] = useState<string[]>(initial.controls ?? []);
  const [pageLines, setPageLines] = useState(String(initial.pageLines ?? MAX_LOG_LIMIT));
  const [progress, setProgress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const fromMs = parseRfc3339Ms(from);
  const toMs = parseRfc3339Ms(to);
  const lines = Number(pageLines);
  const problem =
    uid === undefined
      ? 'No Mesh Audit data source: add one under Connections first.'
      : fromMs === null || toMs === null
        ? 'From and To must be RFC 3339 times, e.g. 2026-11-30T12:00:00Z.'
        : toMs <= fromMs
          ? 'To must be after From.'
          : !Number.isSafeInteger(lines) || lines < 1 || lines > MAX_LOG_LIMIT
            ? `Lines per request must be a whole number from 1 to ${MAX_LOG_LIMIT}.`
            : null;

  const run = async () => {
    if (problem || uid === undefined || fromMs === null || toMs === null) {
      return;
    }
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setError(null);
    setReport(null);
    try {
      const source = await load(uid);
      const evidence = await source.exportEvidence({
        fromMs,
        toMs,
        controls,
        pageLines: lines,
        signal: controller.signal,
        onProgress: (id, read, atMs) => setProgress(`${id}: ${read} lines read, up to ${new Date(atMs).toISOString()}`),
      });
      const name = dataSources.find((d) => d.uid === uid)?.name ?? uid;
      setReport({ generatedAt: new Date().toISOString(), loki: `Mesh Audit data source "${name}"`, ...evidence });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
      setProgress('');
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <Text element="h2">Evidence export</Text>
      <Text element="p" color="secondary">
        Every control&apos;s status for the audit window (from, to] and its full evidence population, one row per
        request, read page by page through the Loki data source. Auditors can sample from it and re-run the queries in
        the JSON.
      </Text>
      <Stack direction="row" gap={2} wrap="wrap">
        <Field label="Data source">
          <Combobox
            id="evidence-datasource"
            width={30}
            options={dataSources.map((d) => ({ label: d.name, value: d.uid }))}
            value={uid ?? null}
            onChange={(v) => setUid(v.value)}
          />
        </Field>
        <Field label="From" invalid={fromMs === null}>
          <Input aria-label="From" width={28} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label="To" invalid={toMs === null}>
          <Input aria-label="To" width={28} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <Field label="Controls" description="None selected: all, the policy's own controls included">
          <MultiCombobox
            id="evidence-controls"
            width={40}
            options={CONTROL_CATALOG.map((c) => ({ label: c.id, value: c.id, description: c.title }))}
            value={controls}
            onChange={(v) => setControls(v.map((x) => x.value))}
          />
        </Field>
        <Field label="Lines per request" description="At most the Loki's max_entries_limit_per_query">
          <Input aria-label="Lines per request" width={14} value={pageLines} onChange={(e) => setPageLines(e.currentTarget.value)} />
        </Field>
      </Stack>
      {problem && <Alert severity="warning" title={problem} />}
      <Stack direction="row" gap={1}>
        <Button onClick={run} disabled={problem !== null || running} icon={running ? 'spinner' : 'download-alt'}>
          {running ? 'Exporting…' : 'Export evidence'}
        </Button>
        {running && (
          <Button variant="secondary" onClick={() => abort.current?.abort()}>
            Cancel
          </Button>
        )}
      </Stack>
      {progress && <Text color="secondary">{progress}</Text>}
      {error && <Alert severity="error" title="The export failed">{error}</Alert>}
      {report && <Results report={report} />}
    </Stack>
  );
}

function Results({ report }: { report: Report }) {
  const mismatched = report.controls.filter((c) => !populationMatches(c));
  return (
    <Stack direction="column" gap={1}>
      {mismatched.length > 0 && (
        <Alert severity="error" title="Not evidence">
          The exported population of {mismatched.map((c) => c.id).join(', ')} is not its evidence count: do not hand it over.
        </Alert>
      )}
      <table aria-label="Exported evidence">
        <thead>
          <tr>
            <th>Control</th>
            <th>Status</th>
            <th>Evidence (requests)</th>
            <th>Exported rows</th>
            <th>Files</th>
          </tr>
        </thead>
        <tbody>
          {report.controls.map((c) => (
            <tr key={c.id} data-control={c.id}>
              <td>{c.id}</td>
              <td>{String(c.status)}</td>
              <td>{c.evidenceCount}</td>
              <td>{c.evidence ? c.evidence.rows.length : c.table ? `${c.table.rows.length} rows` : '–'}</td>
              <td>
                <Stack direction="row" gap={1}>
                  <Button size="sm" variant="secondary" disabled={!populationMatches(c)} onClick={() => saveFile(`${c.id}.csv`, controlCsv(c), 'text/csv')}>
                    CSV
                  </Button>
                  <Button size="sm" variant="secondary" disabled={!populationMatches(c)} onClick={() => saveFile(`${c.id}.json`, evidenceJson(c, report), 'application/json')}>
                    JSON
                  </Button>
                </Stack>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Anomalies report={report} />
      <div>
        <Button variant="secondary" icon="file-alt" onClick={() => saveFile('report.html', reportHtml(report), 'text/html')}>
          Report (HTML, print to PDF)
        </Button>
      </div>
    </Stack>
  );
}

function Anomalies({ report }: { report: Report }) {
  const result = report.anomalies;
  return (
    <Stack direction="column" gap={0.5}>
      <Text element="h4">Anomalies against each service&apos;s own baseline (CC7.2)</Text>
      {typeof result === 'string' ? (
        <Text color="secondary">{result}</Text>
      ) : result.anomalies.length === 0 ? (
        <Text color="secondary">None in {result.buckets} buckets of {result.stepMs / 60_000} minutes.</Text>
      ) : (
        <ul aria-label="Anomalies">
          {result.anomalies.map((a) => (
            <li key={`${a.kind}-${a.cluster}-${a.service}-${a.startMs}`}>
              <strong>{`${a.cluster}/${a.namespace}/${a.service}`}</strong>: {a.reason}
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
