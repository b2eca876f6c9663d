/**
 * The demo's fixed inputs: one loggen seed and one window, so every playground run, screenshot and
 * test sees the same lines. 01:45-02:45 UTC holds the 02:00-02:12 5xx burst (loggen/scenario.ts),
 * besides the always-on RBAC denials and plaintext callers into strict namespaces.
 */
export const DEMO_SEED = 42;
export const DEMO_START_MS = Date.UTC(2026, 10, 24, 1, 45);
export const DEMO_DURATION_MS = 60 * 60_000;
export const DEMO_END_MS = DEMO_START_MS + DEMO_DURATION_MS;
/** loggen's default mean requests/s over the estate. */
export const DEMO_RATE = 5;

/** Retention: daily counts over this many whole UTC days, ending at the demo day's midnight. */
export const RETENTION_DAYS = 60;
/**
 * Retention is estimated, not generated in full (60 days at 5 req/s is ~45 M lines): loggen runs
 * for 3 seconds per UTC hour (from minute 30) and each count is scaled by 1200, the hour's
 * seconds over the sampled ones. The generator draws each second independently, so a sampled
 * second has exactly the lines a full run has in it; only the rest of the hour is extrapolated
 * (a few percent of noise on a day's count for all access logs, tens of percent for a small class
 * such as payments-access). A silence shorter than a day does not show as a gap day.
 */
export const RETENTION_SAMPLE_OFFSET_MS = 30 * 60_000;
export const RETENTION_SAMPLE_MS = 3_000;
export const RETENTION_SAMPLE_EVERY_MS = 60 * 60_000;
