import type { LokiClient } from '../../core/loki/client';
import type { ResolvedSettings } from '../settings';

/** What every runner needs: the client, the dashboard range, the target's refId, the settings. */
export interface RunContext {
  client: LokiClient;
  fromMs: number;
  toMs: number;
  refId: string;
  settings: ResolvedSettings;
  signal?: AbortSignal;
}

/** Loki's warnings on a response, as frame notices (they mean partial or approximate data). */
export function warningNotices(warnings: readonly string[]) {
  return warnings.map((text) => ({ severity: 'warning' as const, text: `Loki: ${text}` }));
}
