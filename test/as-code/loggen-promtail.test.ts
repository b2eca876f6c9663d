/** @jest-environment node */
/**
 * The path-layout contract between loggen and the shippers, end to end: loggen's lines, as loggen
 * writes them (CRI-framed pod logs, VM files) at the paths it writes them to, through the compose
 * Promtail pipeline (the TypeScript evaluator of test/shippers), must come out as common-schema
 * records that agree with what really happened (loggen's `truth`), with the stream labels
 * derived from the path.
 */
import { generate, type GeneratedLine } from '../../loggen/generate';
import { fileLine } from '../../loggen/layout';
import { STREAM_LABELS } from '../../src/core/schema';
import { job, loadPromtail } from '../shippers/lib/promtail-config';
import { newEntry, runPipeline } from '../shippers/lib/promtail-pipeline';

const filesJob = job(loadPromtail('promtail.yaml'), 'mesh-access-files');

/** Promtail's static_configs: the labels of the target whose __path__ glob matches the file. */
function targetLabels(path: string): Record<string, string> {
  for (const target of filesJob.static_configs ?? []) {
    const { __path__: glob, ...labels } = target.labels;
    const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    if (re.test(path)) {
      return { ...labels, filename: path };
    }
  }
  throw new Error(`no Promtail target tails ${path}`);
}

// Ten minutes around the 02:00 error burst, thinned to keep the evaluator quick.
const lines: GeneratedLine[] = [
  ...generate({ seed: 12, start: Date.UTC(2026, 10, 24, 1, 57), durationMs: 10 * 60_000, ratePerSecond: 2 }),
].filter((_, i) => i % 3 === 0);

const shipped = lines.map((l) => {
  const entry = runPipeline(filesJob.pipeline_stages, newEntry(fileLine(l), targetLabels(`/var/log/mesh/${l.file}`)));
  return { l, entry };
});

describe('loggen -> Promtail (compose config)', () => {
  it('tails every file loggen writes and ships every line', () => {
    expect(new Set(lines.map((l) => l.file)).size).toBeGreaterThanOrEqual(25);
    expect(shipped.filter((s) => s.entry.dropped).map((s) => s.l.file)).toEqual([]);
  });

  it('labels every stream with exactly the stream labels, the writer’s namespace and service among them', () => {
    for (const { l, entry } of shipped) {
      expect(Object.keys(entry.labels).sort()).toEqual([...STREAM_LABELS].sort());
      expect(entry.labels).toEqual({ platform: l.platform, cluster: l.cluster, mesh: l.mesh, namespace: l.namespace, log_type: 'access', service_name: l.workload });
    }
  });

  it('fills the writer’s side of every record from the stream, as the truth has it', () => {
    const wrong: string[] = [];
    for (const { l, entry } of shipped) {
      const r = JSON.parse(entry.line);
      const [got, want] = l.side === 'outbound' ? [[r.src_workload, r.src_namespace], [l.truth.src, l.truth.srcNamespace]] : [[r.dst_workload, r.dst_namespace], [l.truth.dst, l.truth.dstNamespace]];
      if (got.join('/') !== want.join('/')) {
        wrong.push(`${l.format} ${l.side}: ${got.join('/')} != ${want.join('/')}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('takes the Loki timestamp from the line, so a backfill lands at the right time', () => {
    for (const { l, entry } of shipped) {
      expect({ format: l.format, ms: Math.floor(Date.parse(String(entry.timestamp))) }).toEqual({ format: l.format, ms: l.timeMs });
    }
  });

  it('ships common-schema records that agree with what happened', () => {
    const wrong: string[] = [];
    for (const { l, entry } of shipped) {
      const r = JSON.parse(entry.line);
      if ('error' in r) {
        wrong.push(`${l.format}: ${r.error}`);
        continue;
      }
      if (r.status !== l.truth.status) {
        wrong.push(`${l.format} status ${r.status} != ${l.truth.status}`);
      }
      if (r.mtls !== 'unknown' && r.mtls !== (l.truth.mtls ? 'mtls' : 'plaintext')) {
        wrong.push(`${l.format} ${l.side} mtls ${r.mtls} but truth ${l.truth.mtls}`);
      }
      if (r.dst_service !== null && r.dst_service !== l.truth.dst) {
        wrong.push(`${l.format} ${l.side} dst_service ${r.dst_service} != ${l.truth.dst}`);
      }
      if (l.truth.denyPolicy !== null && l.side === 'inbound' && r.authz_policy !== l.truth.denyPolicy) {
        wrong.push(`${l.format} authz_policy ${r.authz_policy} != ${l.truth.denyPolicy}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
