import { DAY_MS } from '../../core/frames';
import { LokiClient } from '../../core/loki/client';
import { FakeLokiTransport } from '../../../test/support/fakeLoki';
import { planQuery } from '../../core/plan';
import { DEFAULT_POLICY } from '../../core/policy';
import { DEFAULT_LABEL_NAMES } from '../../core/query';
import { readFixture } from '../../../test/support/fixtures';
import { measureControls } from './runControls';
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

describe('retention controls (C1.1, C1.2) through runControls', () => {
  const controlsPlan = planQuery({ queryType: 'controls', controls: ['C1.1-retention-kept', 'C1.2-retention-disposed'] }, settings, TO - FROM);
  const limits = { status: 200, body: JSON.stringify({ limits: { retention_period: '8784h', retention_stream: [{ selector: '{log_type="audit"}', priority: 1, period: '9600h' }] } }) };
  const realConfig = readFixture('loki/config.yaml');

  async function controls(transport: FakeLokiTransport) {
    if (controlsPlan.type !== 'controls') {
      throw new Error('not a controls plan');
    }
    const { rows } = await measureControls(controlsPlan, { client: new LokiClient(transport, { retry: { maxRetries: 0 } }), fromMs: FROM, toMs: TO, refId: 'A', settings });
    return Object.fromEntries(rows.map((r) => [r.id, r]));
  }

  it('a class without data fails C1.1; a real Loki whose compactor applies retention with finite periods passes C1.2', async () => {
    const transport = new FakeLokiTransport()
      .on('/loki/api/v1/drilldown-limits', limits)
      .on('/loki/api/v1/index/volume_range', matrix([bothDays({ log_type: 'access' })]))
      .on('/config', { status: 200, body: realConfig });
    const rows = await controls(transport);
    expect(rows['C1.1-retention-kept']).toMatchObject({ status: 'fail', measured: 0, evidenceCount: 2 });
    expect(rows['C1.1-retention-kept'].detail).toMatch(/^1 of 2 class\(es\) short of the policy\. mesh-audit: No data in any of the 2 days/);
    expect(rows['C1.2-retention-disposed']).toMatchObject({ status: 'pass', measured: 1 });
    expect(rows['C1.2-retention-disposed'].detail).toBe('The compactor applies retention and every class has a finite period: mesh-access: 366d. mesh-audit: 400d.');
    expect(transport.requests.map((r) => r.path).sort()).toEqual(['/config', '/loki/api/v1/drilldown-limits', '/loki/api/v1/index/volume_range']);
  });

  it('data on every day of a range shorter than the requirement is no evidence for C1.1, never a pass', async () => {
    const transport = new FakeLokiTransport()
      .on('/loki/api/v1/drilldown-limits', limits)
      .on('/loki/api/v1/index/volume_range', matrix([bothDays({ log_type: 'access' }), bothDays({ log_type: 'audit' })]))
      .on('/config', { status: 200, body: realConfig });
    const rows = await controls(transport);
    expect(rows['C1.1-retention-kept']).toMatchObject({ status: 'no-evidence', measured: null });
    expect(rows['C1.1-retention-kept'].detail).toMatch(/^2 of 2 class\(es\) not shown to meet the policy\. mesh-access: Data on every day of the 2-day range; widen the range to 365 days/);
  });

  it('C1.2: a compactor without retention deletes nothing (fail); an unreadable /config or a class kept forever say so', async () => {
    const base = () => new FakeLokiTransport().on('/loki/api/v1/index/volume_range', matrix([bothDays({ log_type: 'access' })]));
    const disabled = await controls(base().on('/loki/api/v1/drilldown-limits', limits).on('/config', { status: 200, body: realConfig.replace('retention_enabled: true', 'retention_enabled: false') }));
    expect(disabled['C1.2-retention-disposed']).toMatchObject({ status: 'fail', measured: 0 });
    expect(disabled['C1.2-retention-disposed'].detail).toMatch(/retention_enabled is false: Loki deletes nothing/);

    const hosted = await controls(base().on('/loki/api/v1/drilldown-limits', limits).on('/config', { status: 404, body: '404 page not found\n' }));
    expect(hosted['C1.2-retention-disposed']).toMatchObject({ status: 'no-evidence', measured: null });
    expect(hosted['C1.2-retention-disposed'].detail).toMatch(/^Whether Loki's compactor deletes anything is unknown: Loki did not answer \/config/);

    const forever = await controls(
      base()
        .on('/loki/api/v1/drilldown-limits', { status: 200, body: JSON.stringify({ limits: { retention_period: '0s', retention_stream: [{ selector: '{log_type="audit"}', priority: 1, period: '9600h' }] } }) })
        .on('/config', { status: 200, body: realConfig })
    );
    expect(forever['C1.2-retention-disposed']).toMatchObject({ status: 'fail', measured: 0.5 });
    expect(forever['C1.2-retention-disposed'].detail).toMatch(/^1 of 2 class\(es\) kept forever\. .*mesh-access: forever\. mesh-audit: 400d\./);

    const noLimits = await controls(base().on('/loki/api/v1/drilldown-limits', { status: 404, body: '404 page not found\n' }).on('/config', { status: 200, body: realConfig }));
    expect(noLimits['C1.2-retention-disposed']).toMatchObject({ status: 'no-evidence', measured: null });
    expect(noLimits['C1.2-retention-disposed'].detail).toMatch(/^Loki's configured retention is unknown: mesh-access: Loki did not answer/);
  });
});
