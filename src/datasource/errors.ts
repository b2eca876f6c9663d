import type { DataQueryError } from '@grafana/data';
import { isLokiError } from '../core/loki/errors';

/**
 * What a user sees for a failed target: core's typed, actionable messages as they are (Loki
 * errors say which limit and what to change), anything else as its message, never a stack trace.
 */
export function queryError(refId: string, error: unknown): DataQueryError {
  if (isLokiError(error)) {
    return { refId, message: error.message, status: error.status || undefined };
  }
  if (error instanceof Error) {
    return { refId, message: error.message };
  }
  return { refId, message: `Unexpected error: ${String(error)}` };
}
