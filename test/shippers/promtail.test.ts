/** @jest-environment node */
/**
 * The Promtail configs, run on real access-log lines: every record a pipeline writes must equal,
 * field for field, what the suite's own parser (`normalizeLine`) makes of the same line, and a line
 * the parser rejects must become an error record. Runs the pipeline twice: through the TypeScript
 * evaluator of the Promtail stages they use.
 */
import { normalizeLine } from '../../src/core/profiles';
import { STREAM_LABELS, type ProfileName } from '../../src/core/schema';
import { fixtureLines, MESH_OF, PIPELINE_FORMATS } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail, sharedStages } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';

const compose = loadPromtail('promtail.yaml');
const filesJob = job(compose, 'mesh-access-files');

const SHIPPED = PIPELINE_FORMATS;

function fileLabels(f: { format: ProfileName }): Record<string, string> {
  return { filename: `/var/log/mesh/prod-eu/${MESH_OF[f.format]}/${f.format}.log`, platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
}

const lines = fixtureLines().filter((f) => SHIPPED.includes(f.format));

const redactionStages = filesJob.pipeline_stages.filter((s) => 'replace' in s);

function redacted(line: string): string {
  return runPipeline(redactionStages, newEntry(line, {})).line;
}

describe('promtail.yaml (compose, /var/log/mesh files)', () => {
  it('keeps only the low-cardinality labels and sends to the compose Loki with the tenant', () => {
    expect(compose.clients).toEqual([expect.objectContaining({ url: 'http://loki:3100/loki/api/v1/push', tenant_id: 'mesh-audit' })]);
    for (const target of filesJob.static_configs!) {
      const names = Object.keys(target.labels).filter((l) => l !== '__path__');
      expect(names.every((l) => (STREAM_LABELS as readonly string[]).includes(l))).toBe(true);
      expect(target.labels.__path__).toMatch(/^\/var\/log\/mesh\/[a-z0-9-]+\/\*\/\*\.log$/);
    }
    expect(filesJob.pipeline_stages[filesJob.pipeline_stages.length - 1]).toEqual({ labelallow: [...STREAM_LABELS] });
  });

  it('has a fixture line for every format it claims to normalise', () => {
    expect(new Set(lines.map((l) => l.format))).toEqual(new Set(SHIPPED));
  });

  it.each(lines.map((f) => [`${f.file}:${f.index + 1} (${f.format})`, f] as const))('normalises %s like normalizeLine', (_name, f) => {
    const labels = fileLabels(f);
    const out = runPipeline(filesJob.pipeline_stages, newEntry(f.line, labels));
    expectParity(f, out, redacted(f.line), labels);
  });

  it('turns a line that does not fit its format into an error record that keeps the redacted raw line', () => {
    const f = { format: 'istio-text' as const };
    const out = runPipeline(filesJob.pipeline_stages, newEntry('[2024-06-02T13:24:57.930Z] "GET /?token=abc HTTP/1.1" truncated', fileLabels(f)));
    expect(JSON.parse(out.line)).toEqual({
      format: 'istio-text',
      error: 'line does not fit the istio-text layout',
      raw: '[2024-06-02T13:24:57.930Z] "GET /?token=REDACTED HTTP/1.1" truncated',
    });
  });

  it('turns a non-numeric status into an error record instead of a wrong number', () => {
    const f = lines.find((l) => l.format === 'istio-json')!;
    const bad = f.line.replace(/"response_code":\s*("?[0-9]+"?)/, '"response_code":"4o4"');
    expect(bad).not.toBe(f.line);
    const out = runPipeline(filesJob.pipeline_stages, newEntry(bad, fileLabels(f)));
    expect(JSON.parse(out.line)).toMatchObject({ format: 'istio-json', error: 'status is not a number' });
    expect(normalizeLine(bad, { format: 'istio-json' }).ok).toBe(false);
  });

  it('drops files whose name is no known format instead of shipping unparsed lines', () => {
    const out = runPipeline(filesJob.pipeline_stages, newEntry('anything', { ...fileLabels({ format: 'istio-text' }), filename: '/var/log/mesh/prod-eu/istio/debug.log' }));
    expect(out.dropped).toBe(true);
  });
});

describe('promtail.k8s.yaml (Kubernetes pods, TLS)', () => {
  const k8s = loadPromtail('promtail.k8s.yaml');
  const podsJob = job(k8s, 'mesh-access-pods');

  it('shares the redaction, parsing, derivation and record stages with the compose config', () => {
    expect(sharedStages(podsJob.pipeline_stages)).toEqual(sharedStages(filesJob.pipeline_stages));
  });

  it('sends over TLS with a CA file, the tenant, and credentials only from files or the environment', () => {
    const client = k8s.clients[0] as Record<string, any>;
    expect(client.url).toMatch(/^https:\/\//);
    expect(client.tls_config.ca_file).toMatch(/^\//);
    expect(client.tenant_id).toBe('${LOKI_TENANT:-mesh-audit}');
    expect(client.basic_auth.password_file).toMatch(/^\//);
    expect(client.basic_auth.password).toBeUndefined();
    expect(String(client.basic_auth.username)).toMatch(/^\$\{[A-Z_]+\}$/);
  });

  const CONTAINER: Partial<Record<ProfileName, string>> = {
    'istio-text': 'istio-proxy',
    'istio-json': 'istio-proxy',
    consul: 'consul-dataplane',
    'linkerd-json': 'linkerd-proxy',
    'linkerd-apache': 'linkerd-proxy',
    'kuma-http': 'kuma-sidecar',
    'kuma-tcp': 'kuma-sidecar',
    'envoy-text': 'envoy',
    'envoy-json': 'envoy',
  };
  const podLines = lines.filter((f) => CONTAINER[f.format]);

  it.each(podLines.map((f) => [`${f.file}:${f.index + 1} (${f.format})`, f] as const))(
    'detects the format of %s from the container and the line, and fills the pod context like normalizeLine',
    (_name, f) => {
      const labels = { namespace: 'shop', pod: 'checkout-7d9c5b8f6b-x2x4q', container: CONTAINER[f.format]!, platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
      // The CRI runtime wraps every container line; the pipeline unwraps it first.
      const cri = `2026-01-01T00:00:00.000000000Z stderr F ${f.line}`;
      const out = runPipeline(podsJob.pipeline_stages, newEntry(cri, labels));
      expectParity(f, out, redacted(f.line), { namespace: 'shop', pod: 'checkout-7d9c5b8f6b-x2x4q' });
    }
  );

  it.each(lines.filter((f) => f.format === 'hubble-json').map((f) => [`${f.file}:${f.index + 1}`, f] as const))(
    'normalises the Hubble flow %s from the node’s export file like normalizeLine',
    (_name, f) => {
      const labels = { format: 'hubble-json', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
      expectParity(f, runPipeline(podsJob.pipeline_stages, newEntry(f.line, labels)), redacted(f.line), labels);
    }
  );

  it('tails Hubble’s export file with its format label', () => {
    expect(podsJob.static_configs).toEqual([
      { targets: ['localhost'], labels: { __path__: '/var/run/cilium/hubble/events.log', platform: 'kubernetes', cluster: '${CLUSTER_NAME}', log_type: 'access', format: 'hubble-json' } },
    ]);
  });

  it('drops the proxies own non-access log lines', () => {
    const labels = { namespace: 'shop', pod: 'checkout-7d9c5b8f6b-x2x4q', container: 'istio-proxy', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
    const line = '2026-01-01T00:00:00.000000000Z stderr F 2026-01-01T00:00:00.000000Z\tinfo\txdsproxy\tconnected to upstream XDS server';
    expect(runPipeline(podsJob.pipeline_stages, newEntry(line, labels)).dropped).toBe(true);
  });
});
