/** @jest-environment node */
/**
 * Redaction: secrets and PII injected into real access-log lines must not survive the shipper,
 * and nothing else in the line may change. The redaction stages are taken from the configs and
 * run through the TypeScript evaluator and, when Go is available, Promtail's own replace stage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { normalizeLine } from '../../src/core/profiles';
import { fixtureLines } from './lib/fixtures';
import { job, loadPromtail } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';
import { promtailHarness, runHarness } from './lib/go-harness';

const filesJob = job(loadPromtail('promtail.yaml'), 'mesh-access-files');
const redactionStages = filesJob.pipeline_stages.filter((s) => 'replace' in s);

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFsaWNlIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const fixture = (file: string, index: number) => fixtureLines().find((f) => f.file === file && f.index === index)!.line;
const istioOut = fixture('istio-text.log', 0);
const istioJson = fixture('istio-json.log', 1);
const linkerdJson = fixture('linkerd-json.log', 0);

interface Case {
  name: string;
  line: string;
  secrets: string[];
  redacted: string;
}

const CASES: Case[] = [
  {
    name: 'secret query parameters, an e-mail and a JWT in an Istio text path',
    line: istioOut.replace('/status/418', `/status/418?api_key=S3cr3tK3y&user=alice.smith@example.com&token=${JWT}&password=hunter2&page=2`),
    secrets: ['S3cr3tK3y', 'alice.smith@example.com', JWT, 'hunter2'],
    redacted: istioOut.replace('/status/418', '/status/418?api_key=REDACTED&user=REDACTED&token=REDACTED&password=REDACTED&page=2'),
  },
  {
    name: 'a URL-encoded e-mail in a path segment and an access token after a semicolon',
    line: istioOut.replace('/status/418', '/users/bob%40corp.example.org/orders;access_token=tok-123'),
    secrets: ['bob%40corp.example.org', 'tok-123'],
    redacted: istioOut.replace('/status/418', '/users/REDACTED/orders;access_token=REDACTED'),
  },
  {
    name: 'Authorization and Cookie values logged by a custom Istio JSON format',
    line: istioJson.replace('"method":"GET"', `"method":"GET","authorization":"Bearer ${JWT}","cookie":"session=abc; theme=dark","x-api-key":"k-999"`),
    secrets: [JWT, 'session=abc', 'k-999'],
    redacted: istioJson.replace('"method":"GET"', '"method":"GET","authorization":"REDACTED","cookie":"REDACTED","x-api-key":"REDACTED"'),
  },
  {
    name: 'a bearer token and a basic credential inside a user agent, and a password in URL userinfo',
    line: linkerdJson.replace('"Go-http-client/1.1"', '"curl (Bearer abc.DEF-123_x) Basic dXNlcjpwYXNz"').replace('"uri":"http://webapp:7000/"', '"uri":"http://svc:pa55w0rd@webapp:7000/"'),
    secrets: ['abc.DEF-123_x', 'dXNlcjpwYXNz', 'pa55w0rd'],
    redacted: linkerdJson.replace('"Go-http-client/1.1"', '"curl (Bearer REDACTED) Basic REDACTED"').replace('"uri":"http://webapp:7000/"', '"uri":"http://svc:REDACTED@webapp:7000/"'),
  },
];

describe('redaction stages (from promtail.yaml)', () => {
  it('are the first thing the shared pipeline does, before any parsing', () => {
    const firstParse = filesJob.pipeline_stages.findIndex((s) => 'match' in s && !('action' in (s.match as object)));
    const lastReplace = filesJob.pipeline_stages.map((s) => 'replace' in s).lastIndexOf(true);
    expect(redactionStages.length).toBeGreaterThanOrEqual(5);
    expect(lastReplace).toBeLessThan(firstParse);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('mask %s and leave the rest of the line intact', (_name, c) => {
    const out = runPipeline(redactionStages, newEntry(c.line, {})).line;
    expect(out).toBe(c.redacted);
    for (const secret of c.secrets) {
      expect(out).not.toContain(secret);
    }
  });

  it.each(CASES.map((c) => [c.name, c] as const))('keep %s out of the shipped record, which still parses', (_name, c) => {
    const labels = { filename: '/var/log/mesh/prod-eu/x/' + (c.line.startsWith('{"client') ? 'linkerd-json' : c.line.startsWith('{') ? 'istio-json' : 'istio-text') + '.log', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
    const out = runPipeline(filesJob.pipeline_stages, newEntry(c.line, labels));
    const record = JSON.parse(out.line);
    expect(record.error).toBeUndefined();
    for (const secret of c.secrets) {
      expect(out.line).not.toContain(secret);
      expect(JSON.stringify(out.labels)).not.toContain(secret);
    }
    // The redacted line still parses like the original apart from the masked values.
    const original = normalizeLine(c.line);
    expect(original.ok).toBe(true);
    if (original.ok) {
      expect(record.request_id).toBe(original.record.request_id);
      expect(record.status).toBe(original.record.status);
      expect(record.dst_service).toBe(original.record.dst_service);
    }
  });

  it('leave the fixture lines without secrets unchanged', () => {
    // Only the envoy-text fixture carries a secret (an api_key in its first line).
    for (const f of fixtureLines()) {
      const out = runPipeline(redactionStages, newEntry(f.line, {})).line;
      if (f.file === 'envoy-text.log' && f.index === 0) {
        expect(out).toBe(f.line.replace('api_key=FyzFCUcvrJXvG', 'api_key=REDACTED'));
      } else {
        expect(out).toBe(f.line);
      }
    }
  });

  const harness = promtailHarness();
  (harness.binary ? it : it.skip)(`behave the same in Promtail's own replace stage${harness.binary ? '' : ` (skipped: ${harness.reason})`}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'redaction-'));
    const config = join(dir, 'redaction.yaml');
    writeFileSync(config, stringify({ scrape_configs: [{ job_name: 'redaction', pipeline_stages: redactionStages }] }));
    const results = runHarness(harness.binary!, config, 'redaction', CASES.map((c) => ({ line: c.line, labels: {} })));
    CASES.forEach((c, i) => expect(results[i].line).toBe(c.redacted));
  });
});
