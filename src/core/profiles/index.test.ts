/** @jest-environment node */
import { PROFILE_NAMES } from '../schema';
import { DETECTION_ORDER, PROFILES, detectProfile, normalizeLine } from './index';
import { fixtureLines } from '../../../test/support/fixtures';

const EXPECTED_PROFILE: Record<string, string[]> = {
  'istio-text.log': Array(7).fill('istio-text'),
  'istio-text-legacy.log': ['istio-text', 'istio-text'],
  'istio-text-constructed.log': Array(5).fill('istio-text'),
  'istio-json.log': Array(5).fill('istio-json'),
  'istio-json-constructed.log': Array(3).fill('istio-json'),
  'envoy-text.log': Array(3).fill('envoy-text'),
  'envoy-json.log': ['envoy-json', 'envoy-json'],
  'consul.log': ['consul', 'consul', 'consul', 'consul', 'envoy-json', 'consul'],
  'linkerd-json.log': Array(5).fill('linkerd-json'),
  'linkerd-apache.log': Array(5).fill('linkerd-apache'),
  'kuma.log': ['kuma-tcp', 'kuma-http'],
  'hubble-json.log': Array(4).fill('hubble-json'),
  'hubble-json-constructed.log': ['hubble-json', 'hubble-json'],
};

describe('PROFILES', () => {
  it('has exactly one profile per profile name, each naming itself', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_NAMES].sort());
    for (const name of PROFILE_NAMES) {
      expect(PROFILES[name].name).toBe(name);
    }
    expect([...DETECTION_ORDER].sort()).toEqual([...PROFILE_NAMES].sort());
  });
});

describe('detectProfile', () => {
  it.each(Object.entries(EXPECTED_PROFILE))('%s: every line is detected as its format', (file, expected) => {
    expect(fixtureLines(file).map((line) => detectProfile(line)?.name)).toEqual(expected);
  });

  it('each fixture line is accepted by exactly the profiles it should be (no profile claims a foreign format)', () => {
    for (const [file, expected] of Object.entries(EXPECTED_PROFILE)) {
      fixtureLines(file).forEach((line, i) => {
        const claimants = PROFILE_NAMES.filter((n) => PROFILES[n].detect(line));
        // The Envoy JSON family nests: consul and istio-json lines are also generic Envoy JSON.
        const family =
          expected[i] === 'consul' || expected[i] === 'istio-json' ? [expected[i], 'envoy-json'] : [expected[i]];
        expect({ file, line: i + 1, claimants: claimants.sort() }).toEqual({
          file,
          line: i + 1,
          claimants: family.sort(),
        });
      });
    }
  });

  it('returns undefined for text it cannot place', () => {
    expect(detectProfile('hello world')).toBeUndefined();
    expect(detectProfile('{"level":"info","msg":"started"}')).toBeUndefined();
    expect(detectProfile('[2024-01-01T00:00:00Z] something else')).toBeUndefined();
  });
});

describe('normalizeLine', () => {
  const istioLine = fixtureLines('istio-text.log')[0];

  it('auto-detects by default and passes the context through', () => {
    const result = normalizeLine(istioLine, { context: { labels: { namespace: 'sleep-ns', app: 'sleep' } } });
    expect(result.ok && result.record).toMatchObject({
      format: 'istio-text',
      src_workload: 'sleep',
      src_namespace: 'sleep-ns',
    });
  });

  it('a forced format parses only that format and says why not', () => {
    expect(normalizeLine(istioLine, { format: 'istio-text' }).ok).toBe(true);
    expect(normalizeLine(istioLine, { format: 'linkerd-json' })).toEqual({
      ok: false,
      error: expect.stringMatching(/^linkerd-json: not valid JSON/),
    });
  });

  it('a forced consul format turns an Istio-shaped JSON line into mesh consul (the operator said so)', () => {
    const result = normalizeLine(fixtureLines('consul.log')[4], { format: 'consul' });
    expect(result.ok && result.record.mesh).toBe('consul');
  });

  it('empty and blank lines are errors, not records', () => {
    expect(normalizeLine('')).toEqual({ ok: false, error: 'empty line' });
    expect(normalizeLine('   \t')).toEqual({ ok: false, error: 'empty line' });
  });

  it('an unknown format name is an error listing the valid ones', () => {
    const result = normalizeLine(istioLine, { format: 'nginx' as never });
    expect(result).toEqual({
      ok: false,
      error: expect.stringContaining('unknown format "nginx" (known: auto, istio-text, istio-json'),
    });
  });

  it('unrecognised input says what kind of input it looked like', () => {
    expect(normalizeLine('{"level":"info"}')).toEqual({
      ok: false,
      error: expect.stringMatching(/^unrecognised JSON access-log format/),
    });
    expect(normalizeLine('[2024-01-01T00:00:00Z] x')).toEqual({
      ok: false,
      error: expect.stringMatching(/^unrecognised bracketed/),
    });
    expect(normalizeLine('GET / 200')).toEqual({
      ok: false,
      error: expect.stringMatching(/^unrecognised access-log format \(known formats: istio-text/),
    });
  });

  it('tolerates a CRLF line ending', () => {
    const result = normalizeLine(`${istioLine}\r`);
    expect(result.ok && result.record.format).toBe('istio-text');
  });
});
