/** One renderer per access-log format loggen writes. */
import type { Hop } from '../hop';
import type { LogFormat } from '../topology';
import type { Side } from './common';
import { consulJsonLine, istioJsonLine } from './envoy-json';
import { istioTextLine } from './istio-text';
import { kumaHttpLine, kumaTcpLine } from './kuma';
import { linkerdJsonLine } from './linkerd-json';

export { loggingSides, type Side } from './common';

export const RENDERERS: Record<LogFormat, (hop: Hop, side: Side) => string> = {
  'istio-text': istioTextLine,
  'istio-json': istioJsonLine,
  consul: consulJsonLine,
  'linkerd-json': (hop) => linkerdJsonLine(hop),
  'kuma-http': kumaHttpLine,
  'kuma-tcp': (hop) => kumaTcpLine(hop),
};
