/**
 * The incidents loggen plays on top of normal traffic, on a fixed UTC schedule so that a run, a
 * backfill and a test all agree on where they are: 5xx bursts, a required service that stops
 * logging (coverage gap). RBAC denials and plaintext callers are edges of the topology.
 */
export interface Periodic {
  /** Repeats every `everyMs`, starting `offsetMs` after the epoch (so, after UTC midnight). */
  everyMs: number;
  offsetMs: number;
  lengthMs: number;
}

export interface ServiceRef {
  cluster: string;
  service: string;
}

export interface Scenario {
  errorBurst: Periodic & { services: ServiceRef[]; errorShare: number };
  coverageGap: Periodic & { services: ServiceRef[] };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_SCENARIO: Scenario = {
  // 12 minutes of failures every 6 hours, from 02:00 UTC.
  errorBurst: {
    everyMs: 6 * HOUR,
    offsetMs: 2 * HOUR,
    lengthMs: 12 * MINUTE,
    errorShare: 0.45,
    services: [
      { cluster: 'prod-eu', service: 'catalog' },
      { cluster: 'prod-us', service: 'books' },
    ],
  },
  // The ledgers' proxies write nothing for 45 minutes a day from 13:00 UTC (longer than the
  // policy's maxSilenceMinutes: 30), as when a log volume fills or a shipper is misconfigured.
  // In prod-us (Linkerd logs inbound only) no line at all mentions the ledger then; in prod-eu
  // its callers' outbound lines still do, which is what a coverage check must see through.
  coverageGap: {
    everyMs: 24 * HOUR,
    offsetMs: 13 * HOUR,
    lengthMs: 45 * MINUTE,
    services: [
      { cluster: 'prod-eu', service: 'ledger' },
      { cluster: 'prod-us', service: 'ledger' },
    ],
  },
};

export function inWindow(p: Periodic, timeMs: number): boolean {
  const phase = (((timeMs - p.offsetMs) % p.everyMs) + p.everyMs) % p.everyMs;
  return phase < p.lengthMs;
}

/** The windows of `p` that overlap [startMs, endMs), in order. */
export function windowsBetween(p: Periodic, startMs: number, endMs: number): Array<{ startMs: number; endMs: number }> {
  const out: Array<{ startMs: number; endMs: number }> = [];
  let k = Math.floor((startMs - p.offsetMs) / p.everyMs);
  for (let s = p.offsetMs + k * p.everyMs; s < endMs; k++, s = p.offsetMs + k * p.everyMs) {
    if (s + p.lengthMs > startMs) {
      out.push({ startMs: s, endMs: s + p.lengthMs });
    }
  }
  return out;
}

const matches = (refs: ServiceRef[], cluster: string, service: string) =>
  refs.some((r) => r.cluster === cluster && r.service === service);

export function isFailing(s: Scenario, cluster: string, service: string, timeMs: number): boolean {
  return matches(s.errorBurst.services, cluster, service) && inWindow(s.errorBurst, timeMs);
}

export function isSilent(s: Scenario, cluster: string, service: string, timeMs: number): boolean {
  return matches(s.coverageGap.services, cluster, service) && inWindow(s.coverageGap, timeMs);
}
