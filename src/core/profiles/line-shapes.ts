import type { ProfileName } from '../schema';

/**
 * An RE2 pattern each raw line of a format matches, used as the first line filter of that
 * profile's query-time pipeline. Two formats of one mesh (istio-text and istio-json, kuma-http and
 * kuma-tcp, linkerd-json and linkerd-apache, envoy-text and envoy-json) share the same streams, and
 * a `| pattern` stage does not flag a line it cannot match: without this filter a JSON line would
 * be counted a second time, with empty fields, by the text profile's query.
 */
export const LINE_SHAPES: Record<ProfileName, string> = {
  'istio-text': `^\\[[^\\]]+\\] "`,
  'envoy-text': `^\\[[^\\]]+\\] "`,
  'kuma-http': `^\\[[^\\]]+\\] \\S+ "`,
  'kuma-tcp': `^\\[[^\\]]+\\] \\S+ \\S+ .*\\) took [0-9]+ms`,
  'linkerd-apache': `^\\S+ \\S+ - \\[`,
  'istio-json': `^\\s*\\{`,
  'envoy-json': `^\\s*\\{`,
  consul: `^\\s*\\{`,
  'linkerd-json': `^\\s*\\{`,
  'hubble-json': `^\\s*\\{`,
};
