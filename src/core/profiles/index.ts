/**
 * The mesh access-log profiles: one per format, auto-detection per line, and normalisation into
 * the common schema (DESIGN.md, "The common schema").
 */
import { PROFILE_NAMES, type ProfileName } from '../schema';
import type { LineContext, ParseResult, Profile } from './types';
import { consul } from './consul';
import { envoyJson } from './envoy-json';
import { envoyText } from './envoy-text';
import { hubbleJson } from './hubble-json';
import { istioJson } from './istio-json';
import { istioText } from './istio-text';
import { kumaHttp } from './kuma-http';
import { kumaTcp } from './kuma-tcp';
import { linkerdApache } from './linkerd-apache';
import { linkerdJson } from './linkerd-json';

export type { LineContext, ParseResult, Profile } from './types';

export const PROFILES: Record<ProfileName, Profile> = {
  'istio-text': istioText,
  'istio-json': istioJson,
  'envoy-text': envoyText,
  'envoy-json': envoyJson,
  consul,
  'linkerd-json': linkerdJson,
  'linkerd-apache': linkerdApache,
  'kuma-http': kumaHttp,
  'kuma-tcp': kumaTcp,
  'hubble-json': hubbleJson,
};

/**
 * Detection order. JSON first: Hubble and Linkerd by their keys, then the Envoy JSON family from
 * most to least specific (Consul and Istio cluster naming before generic Envoy). Text next: the
 * Linkerd Apache line starts with an address, Kuma TCP has its `)->`/`took` shape, and the
 * bracketed Envoy layouts are told apart by field count and quoting.
 */
export const DETECTION_ORDER: readonly ProfileName[] = [
  'hubble-json',
  'linkerd-json',
  'consul',
  'istio-json',
  'envoy-json',
  'linkerd-apache',
  'kuma-tcp',
  'kuma-http',
  'istio-text',
  'envoy-text',
];

export function detectProfile(line: string): Profile | undefined {
  for (const name of DETECTION_ORDER) {
    const profile = PROFILES[name];
    if (profile.detect(line)) {
      return profile;
    }
  }
  return undefined;
}

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/** Why no profile took the line, as specifically as we can tell. */
function undetectedReason(line: string): string {
  if (line.trim() === '') {
    return 'empty line';
  }
  if (/^(?:req|rsp|end|ireq) id=\S+ proxy=(?:in|out)\b/.test(line)) {
    return 'not an access log: this is `linkerd viz tap` output (a live API stream, not a proxy log line)';
  }
  const head = line.trimStart()[0];
  if (head === '{') {
    return 'unrecognised JSON access-log format: no keys of a known mesh (Envoy response_code/upstream_cluster, Linkerd client.id, Hubble flow)';
  }
  if (head === '[') {
    return 'unrecognised bracketed access-log format: the fields after the timestamp fit no Istio, Envoy or Kuma layout';
  }
  return `unrecognised access-log format (known formats: ${PROFILE_NAMES.join(', ')})`;
}

export interface NormalizeOptions {
  format?: ProfileName | 'auto';
  context?: LineContext;
}

/** One raw line → a common-schema record, or a clear error. Never throws. */
export function normalizeLine(line: string, options: NormalizeOptions = {}): ParseResult {
  const format = options.format ?? 'auto';
  if (line.trim() === '') {
    return { ok: false, error: 'empty line' };
  }
  if (format !== 'auto') {
    const profile = isProfileName(format) ? PROFILES[format] : undefined;
    if (!profile) {
      return { ok: false, error: `unknown format "${String(format)}" (known: auto, ${PROFILE_NAMES.join(', ')})` };
    }
    return profile.parse(line, options.context);
  }
  let profile: Profile | undefined;
  try {
    profile = detectProfile(line);
  } catch (error) {
    return { ok: false, error: `format detection failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!profile) {
    return { ok: false, error: undetectedReason(line) };
  }
  return profile.parse(line, options.context);
}
