/** @jest-environment node */
import fc from 'fast-check';
import { MESHES, PROFILE_NAMES, RECORD_FIELDS, type AccessRecord } from '../schema';
import { PROFILES, detectProfile, normalizeLine } from './index';
import { fixtureLines, meshLogFiles } from '../../../test/support/fixtures';

// Fixed seed: a failure reproduces; fast-check prints the counterexample and the path.
const SEED = 20261126;

const REAL_LINES = meshLogFiles().flatMap((f) => fixtureLines(f));

const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const NUMBER_FIELDS = ['dst_port', 'status', 'duration_ms', 'bytes_in', 'bytes_out'] as const;

/** Schema invariants every record must satisfy, whatever the input; returns the violations. */
function violations(r: AccessRecord): string[] {
  const bad: string[] = [];
  const keys = Object.keys(r);
  if (keys.length !== RECORD_FIELDS.length || RECORD_FIELDS.some((k, i) => keys[i] !== k)) {
    bad.push(`keys ${keys.join(',')}`);
  }
  for (const key of RECORD_FIELDS) {
    const v = r[key];
    if (typeof v === 'string' && (v === '' || v === '-')) {
      bad.push(`${key} is ${JSON.stringify(v)}`);
    }
    if (v === undefined) {
      bad.push(`${key} undefined`);
    }
  }
  for (const key of NUMBER_FIELDS) {
    const v = r[key];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      bad.push(`${key} = ${String(v)}`);
    }
  }
  if (r.dst_port !== null && (!Number.isInteger(r.dst_port) || r.dst_port > 65535)) {
    bad.push(`dst_port ${r.dst_port}`);
  }
  if (!['mtls', 'plaintext', 'unknown'].includes(r.mtls)) {
    bad.push(`mtls ${r.mtls}`);
  }
  if (!['peer-identity', 'sni', 'tls-flag', 'none'].includes(r.mtls_basis)) {
    bad.push(`mtls_basis ${r.mtls_basis}`);
  }
  if ((r.mtls === 'unknown') !== (r.mtls_basis === 'none')) {
    bad.push(`mtls ${r.mtls} with basis ${r.mtls_basis}`);
  }
  if (!['allow', 'deny', 'unknown'].includes(r.authz) || (r.authz_policy !== null && r.authz !== 'deny')) {
    bad.push(`authz ${r.authz} / ${r.authz_policy}`);
  }
  if (!['inbound', 'outbound', 'unknown'].includes(r.direction)) {
    bad.push(`direction ${r.direction}`);
  }
  if (!(MESHES as readonly string[]).includes(r.mesh) || !(PROFILE_NAMES as readonly string[]).includes(r.format)) {
    bad.push(`mesh/format ${r.mesh}/${r.format}`);
  }
  if (
    !Array.isArray(r.response_flags) ||
    r.response_flags.some((f) => typeof f !== 'string' || f === '' || f === '-')
  ) {
    bad.push(`response_flags ${JSON.stringify(r.response_flags)}`);
  }
  if (r.timestamp !== null && (!RFC3339_UTC.test(r.timestamp) || Number.isNaN(Date.parse(r.timestamp)))) {
    bad.push(`timestamp ${r.timestamp}`);
  }
  return bad;
}

/** Runs every entry point on the line; returns what went wrong (a throw fails the property too). */
function problems(line: string): string[] {
  const found: string[] = [];
  for (const name of PROFILE_NAMES) {
    const profile = PROFILES[name];
    if (typeof profile.detect(line) !== 'boolean') {
      found.push(`${name}.detect returned a non-boolean`);
    }
    const result = profile.parse(line);
    if (result.ok) {
      found.push(...violations(result.record).map((v) => `${name}: ${v}`));
      if (result.record.format !== name) {
        found.push(`${name} produced format ${result.record.format}`);
      }
    } else if (typeof result.error !== 'string' || !/\S/.test(result.error)) {
      found.push(`${name} failed without a message`);
    }
  }
  const detected = detectProfile(line);
  const auto = normalizeLine(line);
  if (auto.ok) {
    found.push(...violations(auto.record).map((v) => `auto: ${v}`));
    if (auto.record.format !== detected?.name) {
      found.push(`auto produced ${auto.record.format}, detection said ${detected?.name}`);
    }
  } else if (!/\S/.test(auto.error)) {
    found.push('auto failed without a message');
  }
  const withContext = normalizeLine(line, { context: { labels: { namespace: 'ns', pod: 'app-7848d6c4d5-th9v2' } } });
  if (withContext.ok !== auto.ok) {
    found.push('stream labels changed whether the line parses');
  } else if (withContext.ok) {
    found.push(...violations(withContext.record).map((v) => `with context: ${v}`));
  }
  return found;
}

function checkLine(line: string): void {
  const found = problems(line);
  if (found.length > 0) {
    throw new Error(`${JSON.stringify(line)}: ${found.join('; ')}`);
  }
}

// Mutations that keep most of a real line: the interesting inputs sit next to valid ones.
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '-',
      '"',
      ' ',
      '""',
      '{',
      '}',
      ']',
      '[',
      '|',
      'null',
      '0',
      '-1',
      '1e999',
      '\\u0000',
      ':',
      ',',
      '\r',
      '"-"',
      'NaN',
      '99999999999999999999'
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() })
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(line: string, ops: Mutation[]): string {
  let s = line;
  for (const op of ops) {
    const at = s.length === 0 ? 0 : op.at % (s.length + 1);
    switch (op.kind) {
      case 'insert':
        s = s.slice(0, at) + op.text + s.slice(at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + op.length);
        break;
      case 'replace':
        s = s.slice(0, at) + op.text + s.slice(at + 1);
        break;
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'swap': {
        const b = s.length === 0 ? 0 : op.other % s.length;
        const chars = [...s];
        if (chars.length > 1) {
          [chars[at % chars.length], chars[b % chars.length]] = [chars[b % chars.length], chars[at % chars.length]];
        }
        s = chars.join('');
        break;
      }
    }
  }
  return s;
}

/** Values swapped into JSON lines by key, to reach type checks behind JSON.parse. */
const jsonValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, '', '-', '0', 'x', [], {}, [1], { a: 1 }),
  fc.string({ maxLength: 12 }),
  fc.integer()
);

describe('fuzz: no profile, detection or normalisation throws; every record keeps the schema invariants', () => {
  it('random unicode strings (3000 cases)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), checkLine), { seed: SEED, numRuns: 3000 });
  });

  it('random bytes decoded as UTF-8 and Latin-1 (2000 cases)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        checkLine(Buffer.from(bytes).toString('utf8'));
        checkLine(Buffer.from(bytes).toString('latin1'));
      }),
      { seed: SEED, numRuns: 2000 }
    );
  });

  it('mutated real lines (3500 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REAL_LINES), fc.array(mutation, { minLength: 1, maxLength: 6 }), (line, ops) => {
        checkLine(mutate(line, ops));
      }),
      { seed: SEED, numRuns: 3500 }
    );
  });

  it('real JSON lines with values of every type swapped in by key (1500 cases)', () => {
    const jsonLines = REAL_LINES.filter((l) => l.startsWith('{'));
    fc.assert(
      fc.property(fc.constantFrom(...jsonLines), fc.nat(), jsonValue, (line, pick, value) => {
        const object = JSON.parse(line) as Record<string, unknown>;
        const target = (object.flow as Record<string, unknown> | undefined) ?? object;
        const keys = Object.keys(target);
        target[keys[pick % keys.length]] = value;
        checkLine(JSON.stringify(object));
      }),
      { seed: SEED, numRuns: 1500 }
    );
  });

  it('the checks themselves can fail', () => {
    expect(problems(REAL_LINES[0])).toEqual([]);
    const good = normalizeLine(REAL_LINES[0]);
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(violations(good.record)).toEqual([]);
      expect(violations({ ...good.record, dst_service: '-' })).toEqual(['dst_service is "-"']);
      expect(violations({ ...good.record, duration_ms: Infinity })).toEqual(['duration_ms = Infinity']);
      expect(violations({ ...good.record, mtls: 'yes' as never })).toContain('mtls yes');
    }
  });
});
