/**
 * The generator: a pure function from options to access-log lines in time order. Each second of
 * traffic is drawn from its own PRNG seeded by (seed, second), so any split of a time range into
 * calls yields the same lines, and the same options always yield the same output.
 */
import { buildHop, type Hop } from './hop';
import { loggingSides, RENDERERS } from './formats';
import { podOf, relativeLogPath, type WriterPlace } from './layout';
import { hashSeed, Rng } from './prng';
import { DEFAULT_SCENARIO, isSilent, type Scenario } from './scenario';
import { SITES, type Site } from './topology';

export interface GenerateOptions {
  seed: number;
  /** Epoch milliseconds; rounded down to the second. */
  start: number;
  durationMs: number;
  /** Mean requests per second over the whole estate (a day averages this; peaks run higher). */
  ratePerSecond?: number;
  scenario?: Scenario;
  sites?: readonly Site[];
}

/** A line and where it was written: `namespace` and `workload` are the proxy's that wrote it. */
export interface GeneratedLine extends WriterPlace {
  /** The writer's pod name on Kubernetes (see layout.ts); null on a VM. */
  pod: string | null;
  /** `outbound` (client-side proxy) or `inbound` (server-side proxy). */
  side: 'outbound' | 'inbound';
  line: string;
  timeMs: number;
  /** Relative path of the file the line is written to (layout.ts, loggen/README.md). */
  file: string;
  /** What really happened on this hop, for tests and the playground to check parsers against. */
  truth: HopTruth;
}

export interface HopTruth {
  /** Unique per request (the hop's trace id): the lines of both proxies of one request share it. */
  request: string;
  src: string;
  srcNamespace: string;
  dst: string;
  dstNamespace: string;
  mtls: boolean;
  /** HTTP status; null for TCP. */
  status: number | null;
  denyPolicy: string | null;
}

export const DEFAULT_RATE = 5;

export class GenerateOptionsError extends Error {}

function validate(o: GenerateOptions): void {
  const bad = (m: string) => {
    throw new GenerateOptionsError(m);
  };
  if (!Number.isSafeInteger(o.seed)) {
    bad(`seed must be an integer, got ${o.seed}`);
  }
  if (!Number.isFinite(o.start) || o.start < 0) {
    bad(`start must be epoch milliseconds >= 0, got ${o.start}`);
  }
  if (!Number.isFinite(o.durationMs) || o.durationMs < 0) {
    bad(`durationMs must be >= 0, got ${o.durationMs}`);
  }
  const rate = o.ratePerSecond ?? DEFAULT_RATE;
  if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000) {
    bad(`ratePerSecond must be in (0, 10000], got ${rate}`);
  }
}

/** Daily swing: quiet at night, peak in the site's afternoon; averages 1 over a day. */
export function diurnalFactor(site: Site, timeMs: number): number {
  const hourLocal = (timeMs / 3_600_000 + site.utcOffsetHours) % 24;
  return 1 + 0.6 * Math.sin((2 * Math.PI * (hourLocal - 9)) / 24);
}

function linesOfHop(hop: Hop, scenario: Scenario): GeneratedLine[] {
  const out: GeneratedLine[] = [];
  for (const side of loggingSides(hop)) {
    const logger = side === 'outbound' ? hop.src : hop.dst;
    const timeMs = side === 'outbound' ? hop.startMs : hop.serverStartMs;
    if (isSilent(scenario, hop.site.cluster, logger.name, timeMs)) {
      continue;
    }
    const format = hop.site.formatOf(logger.namespace, hop.dst.protocol);
    const place = { cluster: hop.site.cluster, platform: hop.site.platform, mesh: hop.site.mesh, format, namespace: logger.namespace, workload: logger.name };
    out.push({
      cluster: hop.site.cluster,
      platform: hop.site.platform,
      mesh: hop.site.mesh,
      format,
      namespace: logger.namespace,
      workload: logger.name,
      pod: hop.site.platform === 'kubernetes' ? podOf(hop.site.cluster, logger.namespace, logger.name).name : null,
      side,
      line: RENDERERS[format](hop, side),
      timeMs,
      file: relativeLogPath(place),
      truth: {
        request: hop.traceId,
        src: hop.src.name,
        srcNamespace: hop.src.namespace,
        dst: hop.dst.name,
        dstNamespace: hop.dst.namespace,
        mtls: hop.mtls,
        status: hop.dst.protocol === 'tcp' ? null : hop.status,
        denyPolicy: hop.denyPolicy,
      },
    });
  }
  return out;
}

/** The lines of one second, in time order. */
export function secondOfTraffic(seed: number, second: number, rate: number, scenario: Scenario, sites: readonly Site[]): GeneratedLine[] {
  const rng = new Rng(hashSeed(seed, second));
  const startMs = second * 1000;
  const lines: GeneratedLine[] = [];
  for (const site of sites) {
    const count = rng.poisson(rate * site.share * diurnalFactor(site, startMs));
    for (let i = 0; i < count; i++) {
      const edge = rng.weighted(site.edges, (e) => e.weight);
      // Leave room for the server side to land in the same second, keeping files in time order.
      const hop = buildHop(site, edge, startMs + rng.int(0, 990), rng, scenario);
      lines.push(...linesOfHop(hop, scenario));
    }
  }
  // Stable sort: equal timestamps keep generation order (client line before server line).
  return lines.sort((a, b) => a.timeMs - b.timeMs);
}

export function* generate(options: GenerateOptions): Generator<GeneratedLine> {
  validate(options);
  const rate = options.ratePerSecond ?? DEFAULT_RATE;
  const scenario = options.scenario ?? DEFAULT_SCENARIO;
  const sites = options.sites ?? SITES;
  const first = Math.floor(options.start / 1000);
  const end = Math.ceil((options.start + options.durationMs) / 1000);
  for (let second = first; second < end; second++) {
    for (const line of secondOfTraffic(options.seed, second, rate, scenario, sites)) {
      if (line.timeMs >= options.start && line.timeMs < options.start + options.durationMs) {
        yield line;
      }
    }
  }
}
