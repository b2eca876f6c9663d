import type { DataQueryError } from '@grafana/data';
import { isLokiError } from '../core/loki/errors';

/**
 * What a user sees for a failed target: core's typed, actionable messages as they are (Loki
 * errors say which limit and what to change), anything else as its message, never a stack trace.
 */
/** Queries go as GET (the Loki proxy route refuses POST), so a long query can outgrow a URL limit. */
export const URL_TOO_LONG_HINT =
  'The query URL is too long for a server between the browser and Loki (HTTP 414/431). In the Mesh Audit data source settings, pick only the mesh profiles in use (or "Normalised at ingest"), or raise the proxy\'s URL/header size limit.';

export function queryError(refId: string, error: unknown): DataQueryError {
  if (isLokiError(error)) {
    const hint = error.status === 414 || error.status === 431 ? ` ${URL_TOO_LONG_HINT}` : '';
    return { refId, message: error.message + hint, status: error.status || undefined };
  }
  if (error instanceof Error) {
    return { refId, message: error.message };
  }
  return { refId, message: `Unexpected error: ${String(error)}` };
}
