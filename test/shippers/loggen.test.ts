/** @jest-environment node */
/**
 * loggen's synthetic lines (every format it writes, including its error bursts and denials)
 * through the compose pipelines: Promtail through the TypeScript stage evaluator; Alloy through
 * its converted stages. Every record
 * must equal what normalizeLine makes of the same line. (test/as-code/loggen-promtail.test.ts
 * checks the same lines against loggen's ground truth.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../loggen/generate';
import { findBlock, parseAlloy } from './lib/alloy-syntax';
import { alloyProcessStages } from './lib/alloy-stages';
import type { FixtureLine } from './lib/fixtures';
import { expectParity } from './lib/parity';
import { job, loadPromtail } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';

const promtailStages = job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages;
const alloyStages = alloyProcessStages(
  findBlock(parseAlloy(readFileSync(join(__dirname, '..', '..', 'provisioning', 'alloy', 'config.alloy'), 'utf8')), 'loki.process', 'mesh_access')
);
const redactionStages = promtailStages.filter((s) => 'replace' in s);
const redacted = (line: string) => runPipeline(redactionStages, newEntry(line, {})).line;

// Ten minutes around loggen's 02:00 error burst, thinned to keep the suite quick.
const generated = [...generate({ seed: 7, start: Date.UTC(2026, 10, 24, 1, 57), durationMs: 10 * 60_000, ratePerSecond: 2 })].filter((_, i) => i % 4 === 0);

const cases = generated.map((g, index) => {
  const labels = { filename: `/var/log/mesh/${g.file}`, cluster: g.cluster, platform: g.platform, log_type: 'access' };
  const f: FixtureLine = { file: g.file, index, format: g.format, line: g.line };
  return { f, labels };
});

describe('loggen lines through the compose pipelines', () => {
  it('cover every format loggen writes', () => {
    expect(new Set(generated.map((g) => g.format)).size).toBeGreaterThanOrEqual(5);
    expect(generated.length).toBeGreaterThan(100);
  });

  it('Promtail (TypeScript evaluator) ships what normalizeLine parses', () => {
    for (const { f, labels } of cases) {
      expectParity(f, runPipeline(promtailStages, newEntry(f.line, labels)), redacted(f.line), labels);
    }
  });

  it('Alloy ships what normalizeLine parses', () => {
    for (const { f, labels } of cases) {
      expectParity(f, runPipeline(alloyStages, newEntry(f.line, labels)), redacted(f.line), labels);
    }
  });
});
