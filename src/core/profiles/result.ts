import type { ProfileName } from '../schema';
import type { ParseResult } from './types';
import { LineError } from './values';

/** A parse failure as a result, prefixed with the profile so mixed input says who rejected what. */
export function failure(profile: ProfileName, error: unknown): ParseResult {
  if (error instanceof LineError) {
    return { ok: false, error: `${profile}: ${error.message}` };
  }
  // Not expected: a bug, but one line's bug must not stop a stream of millions.
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: `${profile}: internal error while parsing: ${message}` };
}
