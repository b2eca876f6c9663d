/** @jest-environment node */
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import { LokiClient } from '../loki/client';
import { DEFAULT_POLICY } from '../policy';
import { DEFAULT_LABEL_NAMES } from '../query';
import { controlTrends, trendStepMs } from './trend';
import { trendSvg } from './trend-chart';

const MIN = 60_000;
const FROM = Date.UTC(2026, 10, 30, 12, 0) - MIN;
const TO = Date.UTC(2026, 10, 30, 15, 0) + MIN;
const settings = {
  logSource: { kind: 'normalized' as const },
  labelNames: DEFAULT_LABEL_NAMES,
  policy: DEFAULT_POLICY,
};

describe('control trends', () => {
  it('cut the window into about 24 whole-minute buckets', () => {
    expect(trendStepMs(FROM, TO)).toBe(8 * MIN);
    expect(trendStepMs(0, 10 * MIN)).toBe(MIN);
    expect(trendStepMs(0, 90 * 86_400_000)).toBe(5400 * MIN);
  });

  it("measure each charted control per bucket from one range query of the whole catalog's counts table", async () => {
    const row = (metric: Record<string, string>, values: Array<[number, number]>) => ({
      metric: { cluster: 'eu', dst_namespace: 'shop', dst_service: 'cart', direction: 'inbound', ...metric },
      values: values.map(([t, v]) => [t / 1000, String(v)]),
    });
    const t1 = Date.UTC(2026, 10, 30, 12, 8);
    const t2 = Date.UTC(2026, 10, 30, 12, 16);
    const transport = new FakeLokiTransport().on('/loki/api/v1/query_range', {
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            row({ status: '200' }, [
              [t1, 9],
              [t2, 10],
            ]),
            row({ status: '503' }, [[t1, 1]]),
          ],
        },
      }),
    });
    const trends = await controlTrends({
      client: new LokiClient(transport, { retry: { maxRetries: 0 } }),
      settings,
      controlIds: ['CC7.2-error-anomaly', 'CC7.2-log-coverage'],
      fromMs: FROM,
      toMs: TO,
    });
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0].params.step).toBe('480s');
    expect(trends.queries).toEqual([transport.requests[0].params.query]);
    // Coverage is not measured from the table: no trend. A bucket without lines has no value.
    expect(Object.keys(trends.points)).toEqual(['CC7.2-error-anomaly']);
    const [first, second, third] = trends.points['CC7.2-error-anomaly'];
    expect([first, second, third]).toEqual([
      { endMs: t1, value: 0.1 },
      { endMs: t2, value: 0 },
      { endMs: t2 + 8 * MIN, value: null },
    ]);
  });

  it('are drawn as an inline SVG with the threshold, or not at all without a value', () => {
    const svg = trendSvg(
      [
        { endMs: FROM + 8 * MIN, value: 0.1 },
        { endMs: FROM + 16 * MIN, value: null },
        { endMs: FROM + 24 * MIN, value: 0 },
      ],
      0.05,
      'CC7.2 per bucket'
    );
    expect(svg).toMatch(/^<figure class="trend"><svg [^>]*aria-label="CC7.2 per bucket">/);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('0–0.1, threshold 0.05 (dashed); 3 buckets');
    expect(svg).not.toMatch(/<script|href=/);
    expect(trendSvg([{ endMs: FROM, value: null }], 1, 'x')).toBeNull();
  });
});
