/** @jest-environment node */
/**
 * Redaction: secrets and PII injected into real access-log lines must not survive the shipper,
 * and nothing else in the line may change. The redaction stages are taken from the configs and
 * run through the TypeScript evaluator of Promtail's replace stage.
 */
import { normalizeLine } from '../../src/core/profiles';
import { fixtureLines, vmFileLabels } from './lib/fixtures';
import { REDACTION_CASES as CASES } from './lib/redaction-cases';
import { isRedaction, job, loadPromtail, redactionStagesOf } from './lib/promtail-config';
import { newEntry, runPipeline } from './lib/promtail-pipeline';

const filesJob = job(loadPromtail('promtail.yaml'), 'mesh-access-files');
const redactionStages = redactionStagesOf(filesJob.pipeline_stages);

describe('redaction stages (from promtail.yaml)', () => {
  it('are the first thing the shared pipeline does, before any parsing', () => {
    // Parsing happens in the per-format blocks; before them only the CRI unwrapping and the format detection run.
    const stages = filesJob.pipeline_stages;
    // A parse block: a match stage whose stages extract fields (regex or json).
    const parses = (s: (typeof stages)[number]) =>
      'match' in s && ((s.match as { stages?: Array<Record<string, unknown>> }).stages ?? []).some((x) => 'regex' in x || 'json' in x);
    const firstParse = stages.findIndex(parses);
    const lastReplace = stages.map(isRedaction).lastIndexOf(true);
    expect(firstParse).toBeGreaterThan(0);
    // Every expression of the redaction, however its guards nest it.
    const expressions = (list: Array<Record<string, unknown>>): string[] =>
      list.flatMap((x) => ('replace' in x ? [String((x.replace as { expression: string }).expression)] : expressions(((x.match as { stages?: Array<Record<string, unknown>> }) ?? {}).stages ?? [])));
    expect(new Set(expressions(redactionStages)).size).toBeGreaterThanOrEqual(5);
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
    const labels = vmFileLabels(c.line.startsWith('{"client') ? 'linkerd-json' : c.line.startsWith('{') ? 'istio-json' : 'istio-text');
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
});
