import type { LokiRawResponse, LokiRequest, LokiTransport } from '../../core/loki/types';

/** Requests one data source keeps in flight at once; beyond that they queue in order. */
export const MAX_CONCURRENT_REQUESTS = 6;

/**
 * Caps concurrent Loki requests. A raw-profile topology or a controls query fans out into dozens
 * of small queries; sent all at once they would fill Loki's per-tenant queue (429 "too many
 * outstanding requests") for every other panel.
 */
export function limitTransport(inner: LokiTransport, max = MAX_CONCURRENT_REQUESTS): LokiTransport {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    async request(request: LokiRequest): Promise<LokiRawResponse> {
      if (active >= max) {
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      active++;
      try {
        return await inner.request(request);
      } finally {
        release();
      }
    },
  };
}
