/** @jest-environment node */
/**
 * The API servers' audit logs (the policy's mesh-audit class) through every Promtail and Alloy
 * config's audit job, with the TypeScript stage evaluator: each event stays as written, stamped
 * with its stageTimestamp, in one stream per cluster. The real Promtail ships the same files in
 * the conformance suite's Promtail leg (test/loki/expectations.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAudit } from '../../loggen/audit';
import { fileLine } from '../../loggen/layout';
import { findBlock, parseAlloy } from './lib/alloy-syntax';
import { alloyProcessStages } from './lib/alloy-stages';
import { job, loadPromtail } from './lib/promtail-config';
import { newEntry, runPipeline, type Stage } from './lib/promtail-pipeline';

const alloy = (file: string) => alloyProcessStages(findBlock(parseAlloy(readFileSync(join(__dirname, '..', '..', 'provisioning', 'alloy', file), 'utf8')), 'loki.process', 'kube_audit'));
const events = [...generateAudit({ seed: 7, start: Date.UTC(2026, 10, 24, 3, 25), durationMs: 10 * 60_000 })];
const STREAM = { platform: 'kubernetes', log_type: 'audit', service_name: 'kube-apiserver' };

// Each config's audit job, with the target labels its discovery gives a line of the cluster's file.
const CONFIGS: Array<{ name: string; stages: Stage[]; target: (cluster: string, file: string) => Record<string, string> }> = [
  { name: 'promtail.yaml', stages: job(loadPromtail('promtail.yaml'), 'kube-apiserver-audit').pipeline_stages, target: (_, file) => ({ ...STREAM, filename: `/var/log/mesh/${file}` }) },
  { name: 'config.alloy', stages: alloy('config.alloy'), target: (_, file) => ({ ...STREAM, filename: `/var/log/mesh/${file}` }) },
  {
    name: 'promtail.k8s.yaml',
    stages: job(loadPromtail('promtail.k8s.yaml', { CLUSTER_NAME: 'prod-eu' }), 'kube-apiserver-audit').pipeline_stages,
    target: (cluster) => ({ ...STREAM, cluster, filename: '/var/log/kubernetes/audit/audit.log' }),
  },
  { name: 'kubernetes.alloy', stages: alloy('kubernetes.alloy'), target: (cluster) => ({ ...STREAM, cluster, filename: '/var/log/kubernetes/audit/audit.log' }) },
];

describe('API server audit logs through the shipper configs', () => {
  it('covers both Kubernetes clusters and a person\'s policy change', () => {
    expect(new Set(events.map((e) => e.cluster))).toEqual(new Set(['prod-eu', 'prod-us']));
    expect(events.some((e) => e.verb === 'patch')).toBe(true);
  });

  it.each(CONFIGS.map((c) => [c.name, c] as const))('%s keeps each event as written, at its stageTimestamp, in its cluster\'s audit stream', (_, config) => {
    for (const e of events) {
      const out = runPipeline(config.stages, newEntry(fileLine(e), config.target(e.cluster, e.file)));
      expect(out.dropped).toBe(false);
      expect(out.line).toBe(e.line);
      expect(out.labels).toEqual({ ...STREAM, cluster: e.cluster });
      expect(out.timestamp).toBe(JSON.parse(e.line).stageTimestamp);
    }
  });
});
