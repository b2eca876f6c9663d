import { DAY_MS } from '../../core/frames';
import { LokiClient } from '../../core/loki/client';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import { planQuery } from '../../core/plan';
import { DEFAULT_POLICY } from '../../core/policy';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
import { runRetention } from './runRetention';

const FROM = Date.UTC(2026, 10, 20);
const TO = FROM + 2 * DAY_MS;
const settings = {
  lokiUid: 'loki',
  logSource: { kind: 'normalized' as const },
  labelNames: DEFAULT_LABEL_NAMES,
  policy: DEFAULT_POLICY,
};
const plan = planQuery({ queryType: 'retention', filters: {} }, settings, TO - FROM);
const matrix = (result: unknown[]) => ({
  status: 200,
  body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }),
});
const bothDays = (metric: Record<string, string>) => ({
  metric,
  values: [
    [(FROM + DAY_MS - 1) / 1000, '10'],
    [TO / 1000, '10'],
  ],
});

async function run(transport: FakeLokiTransport) {
  if (plan.type !== 'retention') {
    throw new Error('not a retention plan');
  }
  const [frame] = await runRetention(plan, {
    client: new LokiClient(transport, { retry: { maxRetries: 0 } }),
    fromMs: FROM,
    toMs: TO,
    refId: 'A',
    settings,
  });
  const get = (name: string) => [...frame.fields.find((f) => f.name === name)!.values];
  return { frame, get };
}

describe('runRetention', () => {
  it('a Loki without the tenant limits endpoint (before 3.6): configured retention unknown, said per class and as a notice', async () => {
    const transport = new FakeLokiTransport()
      .on('/loki/api/v1/drilldown-limits', { status: 404, body: '404 page not found\n' })
      .on(
        '/loki/api/v1/index/volume_range',
        matrix([bothDays({ log_type: 'access' }), bothDays({ log_type: 'audit' })])
      );
    const { frame, get } = await run(transport);
    expect(get('configured')).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(get('status')).toEqual(Array(4).fill('range-too-short'));
    expect(frame.meta?.notices?.[0].text).toMatch(
      /^Configured retention unknown: Loki did not answer \/loki\/api\/v1\/drilldown-limits/
    );
  });

  it('volume endpoints disabled for the tenant: a clear error naming the setting, no volume request', async () => {
    const transport = new FakeLokiTransport().on('/loki/api/v1/drilldown-limits', {
      status: 200,
      body: JSON.stringify({ limits: { volume_enabled: false } }),
    });
    await expect(run(transport)).rejects.toThrow(/volume_enabled: true/);
    expect(transport.requests.map((r) => r.path)).toEqual(['/loki/api/v1/drilldown-limits']);
  });

  it('a day as full as volume_max_series may have been cut by Loki: the query stops and says which limit', async () => {
    const transport = new FakeLokiTransport()
      .on('/loki/api/v1/drilldown-limits', {
        status: 200,
        body: JSON.stringify({ limits: { retention_period: '0s', volume_max_series: 2 } }),
      })
      .on(
        '/loki/api/v1/index/volume_range',
        matrix([bothDays({ log_type: 'access', namespace: 'a' }), bothDays({ log_type: 'access', namespace: 'b' })])
      );
    await expect(run(transport)).rejects.toThrow(
      /answered 2 stream groups for a day of \{log_type=~"access\|audit"\}.*volume_max_series/
    );
  });

  it('rules Loki publishes that Mesh Audit cannot read make configured retention unknown, with the rule named', async () => {
    const transport = new FakeLokiTransport()
      .on('/loki/api/v1/drilldown-limits', {
        status: 200,
        body: JSON.stringify({ limits: { retention_stream: [{ selector: 'log_type="x"', period: '1d' }] } }),
      })
      .on('/loki/api/v1/index/volume_range', matrix([]));
    const { frame, get } = await run(transport);
    expect(get('configured')[0]).toBe('unknown');
    expect(frame.meta?.notices?.[0].text).toContain('retention_stream[0].selector: Cannot read the stream selector "log_type=\\"x\\""');
    expect(get('status')[0]).toBe('gap');
  });
});
