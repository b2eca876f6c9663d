/**
 * Normalisation throughput per profile, in lines/s, on 100k generated lines per profile (the
 * fixture lines of that format with request ids and sub-second timestamp digits varied, so no
 * two neighbouring lines are equal). Each figure is printed beside the bare cost of reading the
 * same bytes: JSON.parse for JSON formats, line.split(' ') for text formats; the ratio is
 * profile throughput / baseline throughput. Target: >= 0.5 for the JSON profiles.
 * Also: auto-detection (normalizeLine without --format) on the same lines and on a mixed stream.
 */
import { PROFILE_NAMES, type ProfileName } from '../src/core/schema';
import { PROFILES, detectProfile, normalizeLine } from '../src/core/profiles';
import { medianMs, report } from './harness';
import { fixtureLines, meshLogFiles } from '../test/support/fixtures';

const LINES_PER_PROFILE = 100_000;

// Deterministic variation (xorshift), so runs are comparable.
let seed = 0x2f6b1a3d;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const MILLIS = /(T\d\d:\d\d:\d\d\.)(\d{3})/g;

function vary(line: string): string {
  return line
    .replace(UUID, () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`)
    .replace(MILLIS, (_m, head: string) => `${head}${digits(3)}`);
}

const allLines = meshLogFiles()
  .flatMap((f) => fixtureLines(f))
  .filter((l) => l.trim() !== '');

function linesFor(name: ProfileName): string[] {
  const base = allLines.filter((l) => detectProfile(l)?.name === name);
  if (base.length === 0) {
    throw new Error(`no fixture lines for ${name}`);
  }
  return Array.from({ length: LINES_PER_PROFILE }, (_, i) => vary(base[i % base.length]));
}

const JSON_FORMATS = new Set<ProfileName>(['istio-json', 'envoy-json', 'consul', 'linkerd-json', 'hubble-json']);
const perSecond = (ms: number) => `${Math.round((LINES_PER_PROFILE / ms) * 1000).toLocaleString('en-US')} lines/s`;

/**
 * Baseline and candidate timed in alternation, the ratio being the median of the per-pair ratios:
 * on a shared, noisy machine two separate medians drift apart, alternating pairs do not.
 */
function interleaved(baseline: () => void, candidate: () => void, pairs = 7): { ms: number; ratio: number } {
  const time = (fn: () => void) => medianMs(fn, 1, 0);
  baseline();
  candidate();
  const ratios: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const b = time(baseline);
    const c = time(candidate);
    ratios.push(b / c);
    times.push(c);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: median(times), ratio: median(ratios) };
}

let sink = 0;
for (const name of PROFILE_NAMES) {
  const lines = linesFor(name);
  const profile = PROFILES[name];
  const bad = lines.find((l) => !profile.parse(l).ok);
  if (bad !== undefined) {
    throw new Error(`${name} rejects a generated line: ${bad}`);
  }
  const json = JSON_FORMATS.has(name);
  const baseline = json
    ? () => {
        for (const l of lines) {
          sink += JSON.parse(l) === null ? 1 : 0;
        }
      }
    : () => {
        for (const l of lines) {
          sink += l.split(' ').length;
        }
      };
  const parse = () => {
    for (const l of lines) {
      sink += profile.parse(l).ok ? 1 : 0;
    }
  };
  const auto = () => {
    for (const l of lines) {
      sink += normalizeLine(l).ok ? 1 : 0;
    }
  };
  const against = json ? 'JSON.parse' : "split(' ')";
  const parsed = interleaved(baseline, parse);
  const detected = interleaved(baseline, auto);
  report(`${name} parse`, perSecond(parsed.ms), { value: parsed.ratio, against });
  report(`${name} auto-detect + parse`, perSecond(detected.ms), { value: detected.ratio, against });
}

// A mixed stream, as `mesh-audit normalize` sees it from a multi-mesh Loki export.
const mixed = Array.from({ length: LINES_PER_PROFILE }, (_, i) => vary(allLines[i % allLines.length]));
const mixedMs = medianMs(
  () => {
    for (const l of mixed) {
      sink += normalizeLine(l).ok ? 1 : 0;
    }
  },
  5,
  1
);
report('mixed stream, auto-detect (all fixtures)', perSecond(mixedMs));
if (sink < 0) {
  console.log(sink);
}
