/**
 * The conformance window through a real Promtail (Node only): loggen writes every pod's log file
 * of the window and the API servers' audit logs, Promtail ships them with provisioning/promtail/promtail.yaml as the compose stack
 * runs it, and the run waits until Loki holds every line. A tenant that already holds the window
 * is left as it is; one holding anything else stops the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogWriter } from '../../loggen/writer';
import { linesInLoki } from './ingest';
import { promtailDone, startPromtail, stop, until } from './processes';
import type { ConformanceWindow } from './window';

export async function shipThroughPromtail(lokiUrl: string, promtailBin: string, window: ConformanceWindow): Promise<{ shipped: boolean }> {
  const tenant = window.tenants.normalized;
  const expected = window.lines().length + window.auditLines().length;
  // Every line of the window, whatever its log type: the count must equal what loggen wrote.
  const span = { endMs: window.spec.startMs + window.spec.durationMs, durationMs: window.spec.durationMs, selector: '{log_type=~".+"}' };
  const before = await linesInLoki(lokiUrl, tenant, span);
  if (before === expected) {
    return { shipped: false };
  }
  if (before !== 0) {
    throw new Error(`Tenant ${tenant} holds ${before} lines in the window, not 0 or the window's ${expected}: use a fresh Loki and run again.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-promtail-leg-'));
  try {
    const logRoot = join(dir, 'mesh');
    const writer = new LogWriter(logRoot);
    const written = writer.write(window.lines()) + writer.write(window.auditLines());
    const promtail = await startPromtail(promtailBin, { pushUrl: `${lokiUrl.replace(/\/+$/, '')}/loki/api/v1/push`, tenant, logRoot, positions: join(dir, 'positions.yaml') });
    try {
      const { dropped } = await promtailDone(promtail, written, 20 * 60_000);
      if (dropped > 0) {
        throw new Error(`Promtail dropped ${dropped} of ${written} lines (see Loki's loki_discarded_samples_total)`);
      }
    } finally {
      await stop(promtail.child);
    }
    await until(`Loki to hold the ${written} lines Promtail sent`, 5 * 60_000, async () => {
      const now = await linesInLoki(lokiUrl, tenant, span);
      return now === written ? true : (await new Promise((r) => setTimeout(r, 2000)), undefined);
    });
    return { shipped: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
