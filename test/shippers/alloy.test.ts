/** @jest-environment node */
/**
 * The Alloy configs: parsed (by our reader, and by Alloy's own parser when Go is available), their
 * `loki.process` stages converted and checked stage for stage against the Promtail pipelines
 * (which the Promtail tests run through the stage evaluator), and run on real access-log lines.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STREAM_LABELS } from '../../src/core/schema';
import { attr, findBlock, parseAlloy, plain, type AlloyBlock } from './lib/alloy-syntax';
import { alloyProcessStages, normaliseStages } from './lib/alloy-stages';
import { fixtureLines, PIPELINE_FORMATS, VM_WRITER, vmFileLabels } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail, redactionStagesOf } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';

const ALLOY_DIR = join(__dirname, '..', '..', 'provisioning', 'alloy');
const load = (file: string) => parseAlloy(readFileSync(join(ALLOY_DIR, file), 'utf8'));

const compose = load('config.alloy');
const k8s = load('kubernetes.alloy');
const composeStages = alloyProcessStages(findBlock(compose, 'loki.process', 'mesh_access'));
const k8sStages = alloyProcessStages(findBlock(k8s, 'loki.process', 'mesh_access'));

const lines = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));
const redactionStages = redactionStagesOf(composeStages);
const redacted = (line: string) => runPipeline(redactionStages, newEntry(line, {})).line;

function endpoint(blocks: AlloyBlock[]): AlloyBlock {
  return findBlock(findBlock(blocks, 'loki.write', 'mesh_audit').blocks, 'endpoint');
}

describe('config.alloy (compose)', () => {
  it('runs exactly the stages of promtail.yaml', () => {
    expect(normaliseStages(composeStages)).toEqual(normaliseStages(job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages));
  });

  it('tails loggen’s pod and VM layout below MESH_LOG_ROOT and pushes where the environment says, with compose defaults', () => {
    const targets = plain(attr(findBlock(compose, 'local.file_match', 'mesh_logs'), 'path_targets')!) as Array<Record<string, unknown>>;
    const root = 'coalesce(sys.env("MESH_LOG_ROOT"), "/var/log/mesh")';
    expect(targets).toEqual([
      { __path__: { expr: `${root} + "/*/pods/*/*/*.log"` }, platform: 'kubernetes', log_type: 'access' },
      { __path__: { expr: `${root} + "/*/vms/*/*/*.log"` }, platform: 'vm', log_type: 'access' },
    ]);
    const e = endpoint(compose);
    expect(plain(attr(e, 'url')!)).toEqual({ expr: 'coalesce(sys.env("LOKI_PUSH_URL"), "http://loki:3100/loki/api/v1/push")' });
    expect(plain(attr(e, 'tenant_id')!)).toEqual({ expr: 'coalesce(sys.env("LOKI_TENANT"), "mesh-audit")' });
  });

  it('ends with exactly the stream labels', () => {
    expect(composeStages[composeStages.length - 1]).toEqual({ labelallow: [...STREAM_LABELS] });
  });

  it.each(lines.map((f) => [`${f.file}:${f.index + 1} (${f.format})`, f] as const))('normalises %s from a VM file like normalizeLine', (_name, f) => {
    expectParity(f, runPipeline(composeStages, newEntry(f.line, vmFileLabels(f.format))), redacted(f.line), VM_WRITER);
  });
});

describe('kubernetes.alloy (DaemonSet, TLS)', () => {
  it('runs exactly the stages of promtail.k8s.yaml', () => {
    expect(normaliseStages(k8sStages)).toEqual(normaliseStages(job(loadPromtail('promtail.k8s.yaml'), 'mesh-access-pods').pipeline_stages));
  });

  it('sends over TLS with a mounted CA, basic auth from a file and the environment, and the tenant', () => {
    const e = endpoint(k8s);
    expect(String(plain(attr(e, 'url')!))).toMatch(/^https:\/\//);
    const tls = findBlock(e.blocks, 'tls_config');
    expect(String(plain(attr(tls, 'ca_file')!))).toMatch(/^\//);
    expect(plain(attr(tls, 'insecure_skip_verify')!)).toBe(false);
    const auth = findBlock(e.blocks, 'basic_auth');
    expect(plain(attr(auth, 'username')!)).toEqual({ expr: 'sys.env("LOKI_USERNAME")' });
    expect(String(plain(attr(auth, 'password_file')!))).toMatch(/^\//);
    expect(attr(auth, 'password')).toBeUndefined();
  });

  it('also tails Hubble’s flow export file into the same pipeline, with its format label', () => {
    const targets = plain(attr(findBlock(k8s, 'local.file_match', 'hubble_flows'), 'path_targets')!) as Array<Record<string, unknown>>;
    expect(targets).toEqual([
      { __path__: '/var/run/cilium/hubble/events.log', platform: 'kubernetes', cluster: { expr: 'sys.env("CLUSTER_NAME")' }, log_type: 'access', format: 'hubble-json' },
    ]);
    expect(plain(attr(findBlock(k8s, 'loki.source.file', 'hubble_flows'), 'forward_to')!)).toEqual([{ expr: 'loki.process.mesh_access.receiver' }]);
  });

  it('keeps only the mesh proxy containers and tails this node’s pods', () => {
    const relabel = findBlock(k8s, 'discovery.relabel', 'mesh_proxies');
    const keep = relabel.blocks.find((r) => plain(attr(r, 'action') ?? { type: 'null' }) === 'keep')!;
    expect(String(plain(attr(keep, 'regex')!)).split('|')).toEqual(['istio-proxy', 'linkerd-proxy', 'consul-dataplane', 'envoy-sidecar', 'kuma-sidecar', 'envoy']);
    const selectors = findBlock(findBlock(k8s, 'discovery.kubernetes', 'pods').blocks, 'selectors');
    expect(plain(attr(selectors, 'field')!)).toEqual({ expr: '"spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)' });
  });
});

describe('no secret in either Alloy file', () => {
  it.each(['config.alloy', 'kubernetes.alloy'])('%s has no password, token or key value', (file) => {
    const text = readFileSync(join(ALLOY_DIR, file), 'utf8');
    expect(text).not.toMatch(/\b(password|bearer_token|api_key|secret)\s*=\s*"/i);
  });
});

// Opt-in (MESH_AUDIT_GO_CHECKS=1): it fetches github.com/grafana/alloy/syntax through the Go module
// proxy, which CI does not provide (CI installs only npm packages and Debian packages).
describe('Alloy’s own parser', () => {
  const run = process.env.MESH_AUDIT_GO_CHECKS === '1' && spawnSync('go', ['version']).status === 0;
  (run ? it : it.skip)(`accepts both files${run ? '' : ' (opt-in: MESH_AUDIT_GO_CHECKS=1 with Go)'}`, () => {
    const check = spawnSync('go', ['run', '.', join(ALLOY_DIR, 'config.alloy'), join(ALLOY_DIR, 'kubernetes.alloy')], {
      cwd: join(__dirname, 'alloy-syntax-check'),
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(check.stdout).toBe(`${join(ALLOY_DIR, 'config.alloy')}: ok\n${join(ALLOY_DIR, 'kubernetes.alloy')}: ok\n`);
    expect(check.status).toBe(0);
  });
});
