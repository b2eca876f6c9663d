/** @jest-environment node */
/**
 * Never a silently wrong record: every fixture line, damaged in thousands of ways (truncated, a
 * character replaced by `x`, `-` or `"`, a character dropped, a blank inserted), goes through the
 * compose Promtail pipeline (through the TypeScript stage evaluator). Each
 * result must be either an error record or exactly the record normalizeLine makes of the line.
 */
import { normalizeLine } from '../../src/core/profiles';
import { fixtureLines, PIPELINE_FORMATS, VM_WRITER, vmFileLabels, type FixtureLine } from './lib/fixtures';
import { job, loadPromtail, redactionStagesOf } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';
import { damaged } from './lib/damage';

const stages = job(loadPromtail('promtail.yaml'), 'mesh-access-files').pipeline_stages;
const redaction = redactionStagesOf(stages);

describe('damaged access-log lines', () => {
  const formats = fixtureLines().filter((f) => PIPELINE_FORMATS.includes(f.format));
  it.each(PIPELINE_FORMATS)('%s: every result is an error record or what normalizeLine parses', (format) => {
    const wrong: string[] = [];
    let errors = 0;
    let records = 0;
    for (const f of formats.filter((x: FixtureLine) => x.format === format)) {
      for (const line of damaged(f.line)) {
        const labels = vmFileLabels(format);
        const shipped = JSON.parse(runPipeline(stages, newEntry(line, labels)).line);
        if ('error' in shipped) {
          errors++;
          continue;
        }
        records++;
        const expected = normalizeLine(runPipeline(redaction, newEntry(line, {})).line, { format, context: { labels: VM_WRITER } });
        if (!expected.ok) {
          wrong.push(`record for a line the parser rejects (${expected.error}): ${line}`);
        } else if (JSON.stringify(shipped) !== JSON.stringify(expected.record)) {
          wrong.push(`record differs from the parser's: ${line}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // Both kinds of outcome occur, so the check is not vacuous.
    expect(errors).toBeGreaterThan(0);
    expect(records).toBeGreaterThan(0);
  });
});
