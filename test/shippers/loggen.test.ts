/** @jest-environment node */
/**
 * loggen's synthetic lines (every format it writes, including its error bursts and denials), read
 * from the files loggen writes them to (CRI-framed pod logs, VM dataplane files), through the
 * compose pipelines: Promtail through the TypeScript stage evaluator; Alloy through its converted
 * stages. Every record must equal what normalizeLine makes of the same line with the writer's
 * stream labels. (test/as-code/loggen-promtail.test.ts checks the same lines against loggen's
 * ground truth.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../loggen/generate';
import { fileLine } from '../../loggen/layout';
import { workloadFromPod } from '../../src/core/profiles/identity';
import { findBlock, parseAlloy } from './lib/alloy-syntax';
import { alloyProcessStages } from './lib/alloy-stages';
import type { FixtureLine } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail, redactionStagesOf } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';

const promtailStages = job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages;
const alloyStages = alloyProcessStages(
  findBlock(parseAlloy(readFileSync(join(__dirname, '..', '..', 'provisioning', 'alloy', 'config.alloy'), 'utf8')), 'loki.process', 'mesh_access')
);
const redactionStages = redactionStagesOf(promtailStages);
const redacted = (line: string) => runPipeline(redactionStages, newEntry(line, {})).line;

// Ten minutes around loggen's 02:00 error burst, thinned to keep the suite quick.
const generated = [...generate({ seed: 7, start: Date.UTC(2026, 10, 24, 1, 57), durationMs: 10 * 60_000, ratePerSecond: 2 })].filter((_, i) => i % 4 === 0);

const cases = generated.map((g, index) => {
  const target = { filename: `/var/log/mesh/${g.file}`, platform: g.platform, log_type: 'access' };
  const f: FixtureLine = { file: g.file, index, format: g.format, line: g.line };
  // What Kubernetes discovery (or the VM's path) says about the writer: Loki's service_name.
  const writer = { namespace: g.namespace, service_name: g.pod === null ? g.workload : workloadFromPod(g.pod) };
  return { f, g, target, writer };
});

function check(out: ReturnType<typeof runPipeline>, c: (typeof cases)[number]): void {
  expect(out.labels).toMatchObject({ cluster: c.g.cluster, platform: c.g.platform, ...c.writer });
  expectParity(c.f, out, redacted(c.f.line), c.writer);
}

describe('loggen lines through the compose pipelines', () => {
  it('cover every format loggen writes', () => {
    expect(new Set(generated.map((g) => g.format)).size).toBeGreaterThanOrEqual(5);
    expect(generated.length).toBeGreaterThan(100);
  });

  it('Promtail (TypeScript evaluator) ships what normalizeLine parses', () => {
    for (const c of cases) {
      check(runPipeline(promtailStages, newEntry(fileLine(c.g), c.target)), c);
    }
  });

  it('Alloy ships what normalizeLine parses', () => {
    for (const c of cases) {
      check(runPipeline(alloyStages, newEntry(fileLine(c.g), c.target)), c);
    }
  });
});
