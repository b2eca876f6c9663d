/** @jest-environment node */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_IDS } from '../../core/controls';
import { checkLogqlSyntax } from '../../core/logql/validate';
import { decodedStrings, parseLogql } from '../../../test/support/logql';
import { run } from '../main';
import { memoryIO } from '../memoryIO';
import './logql';

async function logql(...args: string[]) {
  const m = memoryIO();
  const status = await run(['logql', ...args], m.io);
  return { status, out: m.out(), err: m.err() };
}

/** `# name` / query pairs; every query must parse. */
function blocks(output: string): Array<{ name: string; expr: string }> {
  const lines = output.trimEnd().split('\n');
  const result: Array<{ name: string; expr: string }> = [];
  for (let i = 0; i < lines.length; i += 2) {
    expect(lines[i]).toMatch(/^# \S/);
    expect(lines[i + 1]).not.toMatch(/^#/);
    expect(checkLogqlSyntax(lines[i + 1])).toBeNull();
    result.push({ name: lines[i].slice(2), expr: lines[i + 1] });
  }
  return result;
}

const POLICY_YAML = `
logClasses:
  - name: mesh-access
    selector: { log_type: access }
    retentionDays: 365
  - name: payments-access
    selector: { log_type: access, namespace: payments }
    retentionDays: 730
strictMtlsNamespaces: [payments]
requiredServices: [checkout, ledger]
thresholds: { minMtlsShare: 0.99, maxErrorShare: 0.05, maxSilenceMinutes: 30 }
`;

function policyFile(text = POLICY_YAML): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-logql-'));
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, text);
  return file;
}

describe('mesh-audit logql', () => {
  it('prints the named topology queries over the given range and filters', async () => {
    const r = await logql('topology', '--namespace', 'shop', '--namespace', 'pay', '--cluster', 'eu-1', '--range', '15m');
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    const out = blocks(r.out);
    expect(out.map((b) => b.name)).toEqual(['requests (instant query)', 'errors (instant query)', 'latency_p95 (instant query)']);
    // The request count carries the mTLS state: one scan for both.
    expect(out[0].expr).toContain('direction, mtls)');
    for (const b of out) {
      expect(b.expr).toContain('{log_type="access", cluster="eu-1", namespace=~"shop|pay"}');
      expect(b.expr).toContain('[15m]');
    }
  });

  it('keeps a hostile namespace inside its escaped literal', async () => {
    const hostile = 'a"} |= "x") or vector(1) # \\ `';
    const r = await logql('topology', '--namespace', hostile);
    expect(r.status).toBe(0);
    for (const b of blocks(r.out)) {
      expect(decodedStrings(b.expr)).toContain(hostile);
      expect(parseLogql(b.expr).nodes).not.toContain('VectorExpr');
      expect(b.expr).toContain('namespace="a\\"} |= \\"x\\") or vector(1) # \\\\ `"');
    }
  });

  it('groups by the chosen level and prints one set per raw profile', async () => {
    const r = await logql('topology', '--group-by', 'namespace', '--source', 'raw', '--profile', 'istio-json', '--profile', 'kuma-http');
    expect(r.status).toBe(0);
    const out = blocks(r.out);
    expect(out.map((b) => b.name.replace(' (instant query)', ''))).toEqual([
      'requests (istio-json)', 'latency_p95 (istio-json)',
      'requests (kuma-http)', 'latency_p95 (kuma-http)',
    ]);
    // Raw counts carry the status too: the errors come from the same scan through the profile's stages.
    expect(out[0].expr).toMatch(/^sum by \(src_namespace, dst_namespace, cluster, platform, direction, mtls, status\) \(count_over_time\(\{log_type="access", mesh="istio"\} /);
    expect(out[2].expr).toContain('mesh="kuma"');
  });

  it('prints a control evidence query and its log population, using a policy file', async () => {
    const r = await logql('control', 'CC6.7-mtls', '--policy', policyFile(), '--range', '7d');
    expect(r.status).toBe(0);
    const out = blocks(r.out);
    // What the data source sends (the counts its verdict and evidence count are read from, the
    // newest evidence line), then the measure as alert rules evaluate it.
    // 7 days in 48 buckets of 3h30m: the newest evidence line is read from the last bucket holding evidence.
    expect(out.map((b) => b.name)).toEqual([
      'control counts per 3h30m (range query)',
      'control counts, range head and tail (instant query)',
      'CC6.7-mtls newest evidence line (log query)',
      'CC6.7-mtls measure, as alert rules evaluate it (instant query, not sent by the data source)',
    ]);
    expect(out[0].expr).toMatch(/^sum by \(cluster, direction, dst_namespace, dst_service, mtls\) \(count_over_time\(.*\[3h30m\]\)\)$/);
    expect(out[1].expr).toMatch(/\[7d\]\)\)$/);
    expect(out[2].expr).toContain('dst_namespace="payments" and direction!="outbound" and mtls!="mtls"');
    expect(out[3].expr).toContain('dst_namespace="payments" and direction!="outbound" and mtls="mtls"');
    expect(out[3].expr).toContain('[7d]');
    const coverage = blocks((await logql('control', 'CC7.2-log-coverage', '--policy', policyFile())).out);
    const measure = coverage.find((b) => b.name === 'CC7.2-log-coverage (instant query)')!;
    expect(measure.expr).toContain('[30m]');
    expect(measure.expr).toMatch(/ \/ 2$/);
  });

  it('says why a control has no query under the default policy', async () => {
    const r = await logql('control', 'CC6.7-mtls');
    expect(r.status).toBe(0);
    expect(r.out).toBe('# CC6.7-mtls: no query, policy.strictMtlsNamespaces is empty, so CC6.7-mtls has nothing in scope\n');
  });

  it('prints the index request behind the retention classes, with their required days', async () => {
    const r = await logql('retention', '--policy', policyFile());
    expect(r.status).toBe(0);
    // Both classes select on log_type: one index/volume_range request, classes told apart by their labels
    // (namespace asked for with a matcher that keeps streams without it).
    expect(blocks(r.out)).toEqual([{ name: 'mesh-access (required 365d), payments-access (required 730d): bytes per 1d (index query)', expr: '{log_type="access", namespace=~".*"}' }]);
  });

  it('exits 2 listing the valid ids for a missing or unknown control', async () => {
    for (const args of [['control'], ['control', 'CC0.0-nope'], ['control', 'a', 'b']]) {
      const r = await logql(...args);
      expect(r.status).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`valid control ids: ${CONTROL_IDS.join(', ')}`);
    }
  });

  it('exits 2 with a clear message on bad options', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['topology', '--range', '5 minutes'], /--range: invalid duration "5 minutes"/],
      [['topology', '--range', '0s'], /--range: invalid duration "0s"/],
      [['topology', '--group-by', 'pod'], /--group-by must be one of workload, namespace, cluster, platform/],
      [['topology', '--source', 'raw'], /--source raw needs at least one --profile/],
      [['topology', '--source', 'raw', '--profile', 'nginx'], /--profile must be one of istio-text/],
      [['topology', '--profile', 'istio-json'], /--profile applies only with --source raw/],
      [['frobnicate'], /expected "topology", "control ID" or "retention", got "frobnicate"/],
      [[], /expected "topology", "control ID" or "retention"/],
      [['retention', '--policy', '/nonexistent/policy.yaml'], /cannot read policy \/nonexistent\/policy.yaml/],
      [['retention', '--policy', policyFile('thresholds: { minMtlsShare: high }')], /thresholds\.minMtlsShare" must be a number between 0 and 1/],
      [['retention', '--policy', policyFile('logClasses: [{ name: x, selector: {}, retentionDays: 1 }]')], /logClasses\[0\]\.selector must map at least one label to a value/],
    ];
    for (const [args, message] of cases) {
      const r = await logql(...args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  it('is listed in the help', async () => {
    const m = memoryIO();
    await run(['--help'], m.io);
    expect(m.out()).toMatch(/logql\s+print the LogQL/);
  });
});
