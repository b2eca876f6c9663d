/**
 * `mesh-audit report`: the SOC 2 evidence of an audit window, straight from Loki. It measures every
 * control as the data source does (the same plan and runner), then exports each control's full
 * evidence population and writes it beside a printable report. A population that is not the
 * control's evidence count is reported as such and the command exits 1: it is not evidence.
 * With `--fail-on STATUS` it exits 3 when a control ends in that status, after writing everything:
 * a scheduled job's alert for what Grafana alerting cannot evaluate, such as C1.1's configured
 * retention (Loki publishes its limits, not a metric or LogQL of them).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { controlsOf, getControl } from '../../core/controls';
import { CONTROL_STATUSES, type ControlStatus } from '../../core/frames';
import { LokiClient } from '../../core/loki/client';
import { LokiError } from '../../core/loki/errors';
import { MAX_LOG_LIMIT } from '../../core/queries/logs';
import { DEFAULT_POLICY } from '../../core/policy';
import { PROFILE_NAMES, type ProfileName } from '../../core/schema';
import { collectEvidence } from '../../datasource/evidence';
import { resolveSettings } from '../../datasource/settings';
import { UsageError, type CliIO } from '../io';
import { createLokiHttpTransport } from '../lokiHttpTransport';
import { registerCommand } from '../main';
import { printToPdf } from '../report/pdf';
import { loadPolicy, oneOfChoices } from '../options';
import { controlCsv, evidenceJson, parseRfc3339Ms, populationMatches, reportHtml, type Report } from '../../core/evidence/report';

const USAGE =
  'mesh-audit report --loki URL [--tenant T] [--user U --password-file F | --token-file F] [--ca-file F]\n' +
  '       --from TIME --to TIME [--policy policy.yaml] [--source normalized|auto|raw] [--profile NAME]...\n' +
  '       [--control ID]... [--page-lines 5000] [--pdf] [--fail-on pass|fail|no-evidence]... --out DIR\n' +
  '       TIME is RFC 3339 (2026-11-30T12:00:00Z); the window is (from, to]';

function time(value: string | undefined, option: string): number {
  if (value === undefined) {
    throw new UsageError(`--${option} is required (RFC 3339, e.g. 2026-11-30T12:00:00Z)`);
  }
  const ms = parseRfc3339Ms(value);
  if (ms === null) {
    throw new UsageError(`--${option} must be an RFC 3339 time such as 2026-11-30T12:00:00Z, got ${JSON.stringify(value)}`);
  }
  return ms;
}

async function secret(path: string | undefined, option: string): Promise<string | undefined> {
  if (path === undefined) {
    return undefined;
  }
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new UsageError(`--${option}: cannot read ${path}: ${(error as Error).message}`);
  }
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      loki: { type: 'string' },
      tenant: { type: 'string' },
      user: { type: 'string' },
      'password-file': { type: 'string' },
      'token-file': { type: 'string' },
      'ca-file': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      policy: { type: 'string' },
      source: { type: 'string', default: 'normalized' },
      profile: { type: 'string', multiple: true },
      control: { type: 'string', multiple: true },
      out: { type: 'string' },
      'page-lines': { type: 'string', default: String(MAX_LOG_LIMIT) },
      pdf: { type: 'boolean', default: false },
      'fail-on': { type: 'string', multiple: true },
    },
  });
  if (!values.loki) {
    throw new UsageError('--loki URL is required');
  }
  if (!values.out) {
    throw new UsageError('--out DIR is required');
  }
  const fromMs = time(values.from, 'from');
  const toMs = time(values.to, 'to');
  if (toMs <= fromMs) {
    throw new UsageError(`--to (${values.to}) must be after --from (${values.from})`);
  }
  if ((values.user === undefined) !== (values['password-file'] === undefined)) {
    throw new UsageError('--user and --password-file go together');
  }
  if (values.user !== undefined && values['token-file'] !== undefined) {
    throw new UsageError('pass --user/--password-file or --token-file, not both');
  }
  const pageLines = Number(values['page-lines']);
  if (!Number.isSafeInteger(pageLines) || pageLines < 1 || pageLines > MAX_LOG_LIMIT) {
    throw new UsageError(`--page-lines must be a whole number from 1 to ${MAX_LOG_LIMIT} (at most the Loki's max_entries_limit_per_query), got ${values['page-lines']}`);
  }
  const failOn = new Set((values['fail-on'] ?? []).map((s) => oneOfChoices<ControlStatus>(s, CONTROL_STATUSES, 'fail-on')));
  const source = oneOfChoices(values.source, ['normalized', 'auto', 'raw'] as const, 'source');
  // The data source drops unknown profile names from stored settings; typed by hand they are a mistake to say.
  const profiles = (values.profile ?? []).map((p) => oneOfChoices<ProfileName>(p, PROFILE_NAMES, 'profile'));
  if (profiles.length > 0 && source !== 'raw') {
    throw new UsageError('--profile applies only with --source raw');
  }
  const policy = values.policy ? await loadPolicy(values.policy) : DEFAULT_POLICY;
  const controls = values.control ?? [];
  const unknown = controls.filter((id) => !getControl(id, policy));
  if (unknown.length > 0) {
    throw new UsageError(`unknown control ${JSON.stringify(unknown[0])}; valid control ids: ${controlsOf(policy).map((c) => c.id).join(', ')}`);
  }
  const settings = resolveSettings({ lokiUid: 'cli', logSourceMode: source, ...(profiles.length > 0 ? { profiles } : {}), policy });
  if (settings.policyError) {
    throw new UsageError(settings.policyError);
  }
  const password = await secret(values['password-file'], 'password-file');
  const token = await secret(values['token-file'], 'token-file');
  const client = new LokiClient(
    createLokiHttpTransport({
      url: values.loki,
      tenant: values.tenant,
      ...(values.user !== undefined ? { basicAuth: { username: values.user, password: password ?? '' } } : {}),
      ...(token !== undefined ? { bearerToken: token } : {}),
      ...(values['ca-file'] ? { tls: { caFile: values['ca-file'] } } : {}),
      // A window's evidence can take Loki minutes to scan; Loki's own query_timeout still applies.
      timeoutMs: 0,
    })
  );

  try {
    io.stderr.write(`measuring ${controls.length || 'all'} controls over ${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()}\n`);
    const evidence = await collectEvidence({
      client,
      settings,
      fromMs,
      toMs,
      controls,
      pageLines,
      onProgress: (id, lines, atMs) => io.stderr.write(`${id}: ${lines} lines read, up to ${new Date(atMs).toISOString()}\n`),
    });
    const report: Report = { generatedAt: new Date().toISOString(), loki: values.loki, ...(values.tenant ? { tenant: values.tenant } : {}), ...evidence };
    await mkdir(values.out, { recursive: true });
    for (const control of report.controls) {
      await writeFile(join(values.out, `${control.id}.csv`), controlCsv(control));
      await writeFile(join(values.out, `${control.id}.json`), evidenceJson(control, report));
    }
    await writeFile(join(values.out, 'report.html'), reportHtml(report));
    if (values.pdf) {
      try {
        await printToPdf(join(values.out, 'report.html'), join(values.out, 'report.pdf'));
      } catch (error) {
        io.stderr.write(`mesh-audit: ${(error as Error).message}\n`);
        return 1;
      }
    }
    const summary = report.controls.map((c) => ({ id: c.id, status: c.status, evidenceCount: c.evidenceCount, rows: c.evidence?.rows.length ?? c.table?.rows.length ?? 0, matches: populationMatches(c) }));
    await writeFile(join(values.out, 'report.json'), JSON.stringify({ generatedAt: report.generatedAt, loki: report.loki, tenant: report.tenant ?? null, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), controls: summary, anomalies: report.anomalies }, null, 1));
    for (const s of summary) {
      io.stdout.write(`${s.id.padEnd(24)} ${s.status.padEnd(12)} evidence ${s.evidenceCount}, exported ${s.rows}${s.matches ? '' : '  DOES NOT MATCH'}\n`);
    }
    io.stdout.write(
      typeof report.anomalies === 'string' ? `anomalies: ${report.anomalies}\n` : report.anomalies.anomalies.map((a) => `anomaly ${a.cluster}/${a.namespace}/${a.service}: ${a.reason}\n`).join('')
    );
    const mismatched = summary.filter((s) => !s.matches);
    if (mismatched.length > 0) {
      io.stderr.write(`mesh-audit: the exported population of ${mismatched.map((s) => s.id).join(', ')} is not its evidence count: do not hand it over as evidence\n`);
      return 1;
    }
    io.stderr.write(`wrote ${report.controls.length} controls' evidence and report.html to ${values.out}\n`);
    const flagged = summary.filter((s) => failOn.has(s.status));
    if (flagged.length > 0) {
      io.stderr.write(`mesh-audit: ${flagged.map((s) => `${s.id} is ${s.status}`).join(', ')} (--fail-on)\n`);
      return 3;
    }
    return 0;
  } catch (error) {
    if (error instanceof LokiError) {
      io.stderr.write(`mesh-audit: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

registerCommand({
  name: 'report',
  summary: "export every control's status and full evidence population for an audit window (CSV, JSON, HTML)",
  usage: USAGE,
  run,
});
