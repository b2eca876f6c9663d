/** Helpers for the profile tests: a line's record or error, failing the test with the profile's own message. */
import type { AccessRecord } from '../../src/core/schema';
import type { LineContext, Profile } from '../../src/core/profiles/types';

/** The record a profile makes of a line; fails the test with the profile's own message otherwise. */
export function recordOf(profile: Profile, line: string, context?: LineContext): AccessRecord {
  const result = profile.parse(line, context);
  if (!result.ok) {
    throw new Error(`expected ${profile.name} to parse the line, got: ${result.error}`);
  }
  return result.record;
}

/** The error a profile gives for a line; fails the test if the line parsed. */
export function errorOf(profile: Profile, line: string): string {
  const result = profile.parse(line);
  if (result.ok) {
    throw new Error(`expected ${profile.name} to reject the line, got a record`);
  }
  return result.error;
}

/** Stream labels as Promtail/Alloy set them for a pod's istio-proxy container. */
export const POD_CONTEXT: LineContext = {
  labels: { namespace: 'team-a', pod: 'orders-5d8f7c9b6d-4xkzq', cluster: 'prod-eu' },
};
