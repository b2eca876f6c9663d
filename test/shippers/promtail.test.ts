/** @jest-environment node */
/**
 * The Promtail configs, run on real access-log lines: every record a pipeline writes must equal,
 * field for field, what the suite's own parser (`normalizeLine`) makes of the same line with the
 * stream labels the pipeline attaches, and a line the parser rejects must become an error record.
 * The configs are read as Promtail reads them with -config.expand-env=true (promtail-expand-env
 * checks that expansion itself) and run through the TypeScript evaluator of the Promtail stages.
 */
import { normalizeLine } from '../../src/core/profiles';
import { STREAM_LABELS } from '../../src/core/schema';
import { fixtureLines, PIPELINE_FORMATS, POD_WRITER, podFileLabels, VM_WRITER, vmFileLabels } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail, loadPromtailRaw, redactionStagesOf } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';
import { CONTAINER } from './lib/real-fixture-files';

const compose = loadPromtail('promtail.yaml');
const filesJob = job(compose, 'mesh-access-files');
const k8s = loadPromtail('promtail.k8s.yaml', { CLUSTER_NAME: 'prod-eu' });
const podsJob = job(k8s, 'mesh-access-pods');

const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));
const redactionStages = redactionStagesOf(filesJob.pipeline_stages);
const redacted = (line: string) => runPipeline(redactionStages, newEntry(line, {})).line;

const podLines = lines.filter((f) => CONTAINER[f.format]);
const cri = (line: string) => `2026-01-01T00:00:00.123Z stdout F ${line}`;

describe('promtail.yaml (compose: loggen’s pod and VM layout)', () => {
  it('runs the pipeline of promtail.k8s.yaml verbatim after deriving the labels Kubernetes discovery gives', () => {
    const shared = podsJob.pipeline_stages;
    const own = filesJob.pipeline_stages.slice(0, filesJob.pipeline_stages.length - shared.length);
    expect(filesJob.pipeline_stages.slice(own.length)).toEqual(shared);
    // Only label derivation from the path before it: no parsing of the line of its own.
    expect(own.map((s) => Object.keys(s)[0])).toEqual(['regex', 'regex', 'labels']);
    expect(own.slice(0, 2).every((s) => (s.regex as { source: string }).source === 'filename')).toBe(true);
  });

  it('keeps exactly the stream labels and pushes where the environment says, with compose defaults', () => {
    expect(filesJob.pipeline_stages[filesJob.pipeline_stages.length - 1]).toEqual({ labelallow: [...STREAM_LABELS] });
    expect(compose.clients).toEqual([expect.objectContaining({ url: 'http://loki:3100/loki/api/v1/push', tenant_id: 'mesh-audit' })]);
    expect(compose.positions).toEqual({ filename: '/var/lib/promtail/positions.yaml' });
    expect(filesJob.static_configs!.map((t) => t.labels.__path__)).toEqual(['/var/log/mesh/*/pods/*/*/*.log', '/var/log/mesh/*/vms/*/*/*.log']);
    const elsewhere = loadPromtail('promtail.yaml', {
      LOKI_PUSH_URL: 'http://127.0.0.1:3110/loki/api/v1/push',
      LOKI_TENANT: 't1',
      MESH_LOG_ROOT: '/tmp/mesh',
      PROMTAIL_POSITIONS: '/tmp/p.yaml',
      PROMTAIL_HTTP_PORT: '9181',
    });
    expect(elsewhere.clients).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:3110/loki/api/v1/push', tenant_id: 't1' })]);
    expect(elsewhere.positions).toEqual({ filename: '/tmp/p.yaml' });
    expect(elsewhere.server).toEqual({ http_listen_port: 9181, grpc_listen_port: 0 });
    expect(job(elsewhere, 'mesh-access-files').static_configs!.map((t) => t.labels.__path__)).toEqual(['/tmp/mesh/*/pods/*/*/*.log', '/tmp/mesh/*/vms/*/*/*.log']);
    for (const target of filesJob.static_configs!) {
      expect(Object.keys(target.labels).filter((l) => l !== '__path__').every((l) => (STREAM_LABELS as readonly string[]).includes(l))).toBe(true);
    }
  });

  it('has a fixture line for every format it claims to normalise', () => {
    expect(new Set(lines.map((l) => l.format))).toEqual(new Set(PIPELINE_FORMATS));
  });

  it.each(lines.map((f) => [`${f.file}:${f.index + 1} (${f.format})`, f] as const))(
    'normalises %s from a VM file like normalizeLine with the writer from the path',
    (_name, f) => {
      const out = runPipeline(filesJob.pipeline_stages, newEntry(f.line, vmFileLabels(f.format)));
      expect(out.labels).toMatchObject({ platform: 'vm', cluster: 'vm-fleet', ...VM_WRITER });
      expectParity(f, out, redacted(f.line), VM_WRITER);
    }
  );

  it.each(podLines.map((f) => [`${f.file}:${f.index + 1} (${f.format})`, f] as const))(
    'unwraps %s from a pod’s CRI log, detects its format and fills the writer like normalizeLine',
    (_name, f) => {
      const out = runPipeline(filesJob.pipeline_stages, newEntry(cri(f.line), podFileLabels(CONTAINER[f.format]!)));
      expect(out.labels).toEqual({ platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access', mesh: expect.any(String), namespace: 'shop', service_name: 'checkout' });
      expectParity(f, out, redacted(f.line), { namespace: POD_WRITER.namespace, service_name: POD_WRITER.service_name });
    }
  );

  it('turns a line that does not fit its format into an error record that keeps the redacted raw line', () => {
    const out = runPipeline(filesJob.pipeline_stages, newEntry('[2024-06-02T13:24:57.930Z] "GET /?token=abc HTTP/1.1" truncated', vmFileLabels('istio-text')));
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
    const out = runPipeline(filesJob.pipeline_stages, newEntry(bad, vmFileLabels('istio-json')));
    expect(JSON.parse(out.line)).toMatchObject({ format: 'istio-json', error: 'status is not a number' });
    expect(normalizeLine(bad, { format: 'istio-json' }).ok).toBe(false);
  });

  it('drops VM files whose name is no known format, and pods’ containers that are no mesh proxy', () => {
    const debug = { ...vmFileLabels('istio-text'), filename: '/var/log/mesh/vm-fleet/vms/billing/billing-api/debug.log' };
    expect(runPipeline(filesJob.pipeline_stages, newEntry('anything', debug)).dropped).toBe(true);
    const app = runPipeline(filesJob.pipeline_stages, newEntry(cri('[2026-01-01T00:00:00.000Z] "GET / HTTP/1.1" 200'), podFileLabels('checkout')));
    expect(app.dropped).toBe(true);
  });
});

describe('promtail.k8s.yaml (Kubernetes pods, TLS)', () => {
  const raw = loadPromtailRaw('promtail.k8s.yaml');

  it('sends over TLS with a CA file, the tenant, and credentials only from files or the environment', () => {
    const client = raw.clients[0] as Record<string, any>;
    expect(client.url).toMatch(/^https:\/\//);
    expect(client.tls_config.ca_file).toMatch(/^\//);
    expect(client.tenant_id).toBe('${LOKI_TENANT:-mesh-audit}');
    expect(client.basic_auth.password_file).toMatch(/^\//);
    expect(client.basic_auth.password).toBeUndefined();
    expect(String(client.basic_auth.username)).toMatch(/^\$\{[A-Z_]+\}$/);
    expect((k8s.clients[0] as Record<string, unknown>).tenant_id).toBe('mesh-audit');
  });

  it('labels each stream with the pod’s namespace and its app label as service_name, as discovery gives them', () => {
    const relabel = podsJob.relabel_configs!;
    expect(relabel).toContainEqual({ source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' });
    expect(relabel).toContainEqual(
      expect.objectContaining({ source_labels: ['__meta_kubernetes_pod_label_app', '__meta_kubernetes_pod_label_app_kubernetes_io_name'], target_label: 'service_name' })
    );
  });

  it.each(podLines.map((f) => [`${f.file}:${f.index + 1} (${f.format})`, f] as const))(
    'detects the format of %s from the container and the line, and fills the writer like normalizeLine',
    (_name, f) => {
      const labels = { namespace: 'shop', pod: POD_WRITER.pod, container: CONTAINER[f.format]!, platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
      const out = runPipeline(podsJob.pipeline_stages, newEntry(cri(f.line), labels));
      expect(out.labels.service_name).toBe('checkout');
      expectParity(f, out, redacted(f.line), { namespace: 'shop', service_name: 'checkout' });
    }
  );

  it('prefers the pod’s app label over its name for service_name', () => {
    const f = podLines.find((l) => l.format === 'istio-text')!;
    const labels = { namespace: 'shop', pod: POD_WRITER.pod, container: 'istio-proxy', service_name: 'shop-checkout', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
    const out = runPipeline(podsJob.pipeline_stages, newEntry(cri(f.line), labels));
    expect(out.labels.service_name).toBe('shop-checkout');
    expectParity(f, out, redacted(f.line), { namespace: 'shop', service_name: 'shop-checkout' });
  });

  it.each(lines.filter((f) => f.format === 'hubble-json').map((f) => [`${f.file}:${f.index + 1}`, f] as const))(
    'normalises the Hubble flow %s from the node’s export file like normalizeLine',
    (_name, f) => {
      const labels = { format: 'hubble-json', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
      const out = runPipeline(podsJob.pipeline_stages, newEntry(f.line, labels));
      expect(out.labels.service_name).toBeUndefined();
      expectParity(f, out, redacted(f.line), labels);
    }
  );

  it('tails Hubble’s export file with its format label', () => {
    expect(podsJob.static_configs).toEqual([
      { targets: ['localhost'], labels: { __path__: '/var/run/cilium/hubble/events.log', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access', format: 'hubble-json' } },
    ]);
  });

  it('drops the proxies own non-access log lines', () => {
    const labels = { namespace: 'shop', pod: POD_WRITER.pod, container: 'istio-proxy', platform: 'kubernetes', cluster: 'prod-eu', log_type: 'access' };
    const line = '2026-01-01T00:00:00.000000000Z stderr F 2026-01-01T00:00:00.000000Z\tinfo\txdsproxy\tconnected to upstream XDS server';
    expect(runPipeline(podsJob.pipeline_stages, newEntry(line, labels)).dropped).toBe(true);
  });
});
