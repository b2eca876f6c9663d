/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { chromiumPath, printToPdf } from '../report/pdf';
import { reportHtml } from '../../core/evidence/report';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../main';
import { memoryIO } from '../memoryIO';
import './index';
import { csvRecords } from '../../../test/support/csv';
import { requestKey } from '../../../test/support/grafanaRuntime';
import { readRecording, RERECORD } from '../../../test/loki/recordings';
import { EXPORTED_CONTROLS, FIRST_WINDOW } from '../../../test/loki/window';
import { POLICY } from '../../../test/loki/policy';
import { requestsOf, truthControls } from '../../../test/loki/truth';

const recording = readRecording('normalized');
const tenant = FIRST_WINDOW.tenants.normalized;

/** Loki's HTTP API answered from what the real Loki said to the conformance suite (test/fixtures/loki-recorded). */
function replayServer(): Promise<{ url: string; server: Server; stale: string[] }> {
  const answers = new Map(recording!.answers.map((a) => [requestKey(a.tenant, a.path, a.params), a]));
  const stale: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const params = [...url.searchParams.entries()].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
    const hit = answers.get(requestKey(String(req.headers['x-scope-orgid'] ?? ''), url.pathname, params));
    if (!hit) {
      stale.push(`${url.pathname} ${url.searchParams.get('query') ?? ''}`);
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`stale recording: re-record with ${RERECORD}`);
      return;
    }
    res.writeHead(hit.status, { 'content-type': hit.status >= 400 ? 'text/plain' : 'application/json' }).end(hit.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, stale })));
}

const iso = (ms: number) => new Date(ms).toISOString();
const policyFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-report-'));
  writeFileSync(join(dir, 'policy.yaml'), readFileSync(join(__dirname, '../../../policy.example.yaml')));
  return join(dir, 'policy.yaml');
};

async function report(...args: string[]) {
  const m = memoryIO();
  const status = await run(['report', ...args], m.io);
  return { status, out: m.out(), err: m.err() };
}

const describeReplay = recording ? describe : describe.skip;

describeReplay('mesh-audit report over the recorded real Loki answers', () => {
  let replay: Awaited<ReturnType<typeof replayServer>>;
  beforeAll(async () => {
    replay = await replayServer();
  });
  afterAll(() => new Promise((resolve) => replay.server.close(resolve)));

  it("writes each control's full evidence population, one CSV row per request, as many as its evidence count and loggen's truth", async () => {
    const out = mkdtempSync(join(tmpdir(), 'mesh-audit-report-out-'));
    const { fromMs, toMs } = FIRST_WINDOW.range;
    const controls = EXPORTED_CONTROLS.flatMap((id) => ['--control', id]);
    const r = await report('--loki', replay.url, '--tenant', tenant, '--from', iso(fromMs), '--to', iso(toMs), '--policy', policyFile(), '--page-lines', '100', ...controls, '--out', out);
    expect(replay.stale).toEqual([]);
    expect(r.status).toBe(0);
    const truth = truthControls(requestsOf(FIRST_WINDOW.lines()), POLICY, fromMs, toMs);
    const summary = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      controls: Array<{ id: string; status: string; evidenceCount: number; rows: number }>;
      anomalies: { anomalies: Array<{ kind: string; cluster: string; service: string }> };
    };
    // loggen's incidents in the window (loggen/scenario.ts): the 14:00 5xx burst and the ledgers' 13:00 silence.
    expect([...new Set(summary.anomalies.anomalies.map((a) => `${a.kind} ${a.cluster}/${a.service}`))].sort()).toEqual([
      'edge-error-share prod-eu/catalog',
      'edge-error-share prod-us/books',
      'error-share prod-eu/catalog',
      'error-share prod-us/books',
      'silence prod-eu/ledger',
      'silence prod-us/ledger',
    ]);
    for (const id of EXPORTED_CONTROLS) {
      const row = summary.controls.find((c) => c.id === id)!;
      expect({ id, status: row.status, evidence: row.evidenceCount, rows: row.rows }).toEqual({ id, status: truth[id].status, evidence: truth[id].evidence, rows: truth[id].evidence });
      expect({ id, csv: csvRecords(readFileSync(join(out, `${id}.csv`), 'utf8')) }).toEqual({ id, csv: truth[id].evidence });
      const json = JSON.parse(readFileSync(join(out, `${id}.json`), 'utf8'));
      expect(json.population).toHaveLength(truth[id].evidence);
      expect(json.queries.length).toBeGreaterThan(0);
      expect(json.window).toEqual({ from: iso(fromMs), to: iso(toMs), bounds: '(from, to]' });
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('CC6.7-mtls');
    expect(html).not.toContain('does not match');
    // A trend chart per exported share and count control, each over the window's 8-minute buckets.
    expect(html.match(/<figure class="trend">/g)).toHaveLength(EXPORTED_CONTROLS.length);
    expect(html).toMatch(/Trends: each share and count control measured per 8-minute bucket/);
    expect(r.out).toMatch(/CC6\.7-mtls\s+fail\s+evidence 101, exported 101/);
    // As a scheduled check: exit 3 when a control ends in a --fail-on status, everything written first.
    const again = mkdtempSync(join(tmpdir(), 'mesh-audit-report-out-'));
    const args = ['--loki', replay.url, '--tenant', tenant, '--from', iso(fromMs), '--to', iso(toMs), '--policy', policyFile(), '--page-lines', '100', ...controls, '--out', again];
    const failing = EXPORTED_CONTROLS.filter((id) => truth[id].status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    const flagged = await report(...args, '--fail-on', 'fail');
    expect(flagged.status).toBe(3);
    expect(flagged.err).toContain(`${failing.map((id) => `${id} is fail`).join(', ')} (--fail-on)`);
    expect(existsSync(join(again, 'report.json'))).toBe(true);
    expect((await report(...args, '--fail-on', 'no-evidence')).status).toBe(EXPORTED_CONTROLS.some((id) => truth[id].status === 'no-evidence') ? 3 : 0);
  }, 120_000);
});

describe('mesh-audit report refuses what it cannot do, with a message', () => {
  it.each([
    [[], /--loki URL is required/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x'], /--from is required/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', 'yesterday', '--to', '2026-11-30T12:00:00Z'], /--from must be an RFC 3339 time/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T13:00:00Z', '--to', '2026-11-30T12:00:00Z'], /--to .* must be after --from/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--control', 'CC9.9'], /unknown control "CC9.9"/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--page-lines', '9000'], /--page-lines must be a whole number from 1 to 5000/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--user', 'u'], /--user and --password-file go together/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--source', 'raw', '--profile', 'nginx'], /--profile must be one of istio-text/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--profile', 'istio-json'], /--profile applies only with --source raw/],
    [['--loki', 'http://127.0.0.1:1', '--out', '/tmp/x', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--fail-on', 'failed'], /--fail-on must be one of pass, fail, no-evidence/],
  ])('%j', async (args, message) => {
    const r = await report(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message as RegExp);
  });

  const withChromium = (name: string, fn: () => Promise<void>) =>
    existsSync(chromiumPath()) ? it(name, fn, 60_000) : it.skip(`${name} (skipped: no Chromium at ${chromiumPath()})`, fn);
  withChromium('prints report.html to a PDF with Chromium', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-pdf-'));
    writeFileSync(join(dir, 'report.html'), reportHtml({ generatedAt: 'now', loki: 'http://loki', fromMs: 0, toMs: 1, controls: [], anomalies: 'Not run' }));
    await printToPdf(join(dir, 'report.html'), join(dir, 'report.pdf'));
    expect(readFileSync(join(dir, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('says where Chromium is missing when asked for a PDF, and keeps the HTML', async () => {
    await expect(printToPdf('/tmp/x.html', '/tmp/x.pdf', '/nonexistent/chromium')).rejects.toThrow('no Chromium at /nonexistent/chromium');
  });

  it('exits 1 with Loki named when Loki cannot be reached, and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mesh-audit-report-')), 'out');
    const r = await report('--loki', 'http://127.0.0.1:1', '--from', '2026-11-30T12:00:00Z', '--to', '2026-11-30T13:00:00Z', '--out', out);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/Could not reach Loki at http:\/\/127\.0\.0\.1:1/);
    expect(() => readFileSync(join(out, 'report.json'))).toThrow();
  });
});
