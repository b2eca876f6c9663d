import { createDataFrame, FieldType } from '@grafana/data';
import { DAY_MS } from '../../core/frames';
import { retentionFrame, retentionRows } from '../../datasource/frames/retentionFrame';
import { FrameShapeError } from '../frames/findFrame';
import { summarizeCoverage } from './coverage';

const FROM = Date.UTC(2026, 9, 1);
/** The data source's own rows for a class whose daily counts are `counts` (one per day from FROM). */
function frameFor(classes: Array<{ name: string; required: number; counts: number[] }>) {
  const rows = classes.flatMap(({ name, required, counts }) =>
    retentionRows(
      { name, selector: { log_type: 'access' }, retentionDays: required },
      // count_over_time(...[1d]) at the end of each day counts that day.
      [{ metric: {}, values: counts.map((v, i): [number, number] => [FROM + (i + 1) * DAY_MS, v]) }],
      { fromMs: FROM, toMs: FROM + counts.length * DAY_MS }
    )
  );
  return retentionFrame(rows);
}

describe('summarizeCoverage', () => {
  it('proves retention when every day of the required span has lines', () => {
    const [c] = summarizeCoverage(frameFor([{ name: 'access', required: 5, counts: [10, 12, 9, 11, 10, 10] }]), 0.1);
    expect(c.status).toBe('proven');
    expect(c.observedDays).toBe(6);
    expect(c.gapDays).toBe(0);
    expect(c.oldestMs).toBe(FROM);
  });

  it('flags empty and thin days inside the observed span as gaps', () => {
    const [c] = summarizeCoverage(frameFor([{ name: 'access', required: 5, counts: [10, 0, 12, 1, 10, 11] }]), 0.5);
    expect(c.status).toBe('gaps');
    expect(c.days.map((d) => d.gap)).toEqual([false, true, false, true, false, false]);
    expect(c.reason).toContain('2 day(s)');
  });

  it('does not count days before the first line as gaps, and calls a young class short', () => {
    const [c] = summarizeCoverage(frameFor([{ name: 'access', required: 5, counts: [0, 0, 0, 5, 5, 5] }]), 0.1);
    expect(c.status).toBe('short');
    expect(c.observedDays).toBe(3);
    expect(c.gapDays).toBe(0);
    expect(c.reason).toContain('3 days old; the policy requires 5');
  });

  it('says unknown, not short, when the range is shorter than the requirement', () => {
    const [c] = summarizeCoverage(frameFor([{ name: 'payments', required: 730, counts: [5, 5, 5] }]), 0.1);
    expect(c.status).toBe('unknown');
    expect(c.reason).toContain('widen it to at least 730 days');
  });

  it('calls a class with no lines at all short', () => {
    const [c] = summarizeCoverage(frameFor([{ name: 'audit', required: 2, counts: [0, 0, 0] }]), 0.1);
    expect(c.status).toBe('short');
    expect(c.oldestMs).toBeNull();
  });

  it('keeps classes apart', () => {
    const out = summarizeCoverage(
      frameFor([
        { name: 'a', required: 2, counts: [1, 1, 1] },
        { name: 'b', required: 2, counts: [0, 1, 1] },
      ]),
      0.1
    );
    expect(out.map((c) => [c.logClass, c.status])).toEqual([
      ['a', 'proven'],
      ['b', 'proven'],
    ]);
  });

  it('does not call today a gap while it is still being written', () => {
    const counts = [10, 11, 9, 10, 1];
    const endOfRange = FROM + 4 * DAY_MS + 3_600_000; // one hour into the last day
    const [c] = summarizeCoverage(frameFor([{ name: 'access', required: 3, counts }]), 0.5, endOfRange);
    expect(c.days.map((d) => [d.partial, d.gap])).toEqual([
      [false, false],
      [false, false],
      [false, false],
      [false, false],
      [true, false],
    ]);
    expect(c.status).toBe('proven');
    // Without the range end the thin last day is a gap.
    expect(summarizeCoverage(frameFor([{ name: 'access', required: 3, counts }]), 0.5)[0].status).toBe('gaps');
  });

  it('names the missing field of a malformed frame', () => {
    const bad = createDataFrame({ name: 'retention', fields: [{ name: 'log_class', type: FieldType.string, values: ['a'] }] });
    expect(() => summarizeCoverage(bad, 0.1)).toThrow(FrameShapeError);
    expect(() => summarizeCoverage(bad, 0.1)).toThrow('no "day" field');
  });
});
