/**
 * Facts shared by Kuma's (Kong Mesh) two default MeshAccessLog formats. Kuma prints the source
 * service as "unknown" on inbound records (the inbound listener does not learn its caller's service
 * without the peer certificate), while an outbound record names the proxy's own service; so a known
 * source service means outbound and "unknown" means inbound. An inference from Kuma's behaviour.
 */
import type { AccessRecord, Direction } from '../schema';

/** LogQL template regexes for the Kubernetes service tag (k8s names have no underscores). */
export const KUMA_SERVICE_RE = '^([^_]+)_[^_]+_svc(?:_[0-9]+)?$';
export const KUMA_NAMESPACE_RE = '^[^_]+_([^_]+)_svc(?:_[0-9]+)?$';

/** Template: the service of a Kuma tag; a tag that is not `<name>_<ns>_svc[_<port>]` is the service itself. */
export function kumaServiceTemplate(label: string): string {
  return (
    `{{ $svc := regexReplaceAll "${KUMA_SERVICE_RE}|^.*$" .${label} "\${1}" }}` +
    `{{ if $svc }}{{ $svc }}{{ else if and (ne .${label} "unknown") (ne .${label} "-") }}{{ .${label} }}{{ end }}`
  );
}

/** Kubernetes-mode service tag `<name>_<namespace>_svc[_<port>]`; other tags name the service only. */
export function parseKumaService(
  tag: string | null
): { service: string; namespace: string | null; port: number | null } | null {
  if (tag === null || tag === 'unknown') {
    return null;
  }
  const svc = tag.lastIndexOf('_svc');
  if (svc > 0 && (svc + 4 === tag.length || tag[svc + 4] === '_')) {
    const head = tag.slice(0, svc);
    const sep = head.lastIndexOf('_');
    const portText = tag.slice(svc + 5);
    const port = portText === '' ? null : Number(portText);
    if (sep > 0 && sep < head.length - 1 && (port === null || (Number.isInteger(port) && port > 0 && port <= 65535))) {
      return { service: head.slice(0, sep), namespace: head.slice(sep + 1), port };
    }
  }
  return { service: tag, namespace: null, port: null };
}

export function kumaDirection(sourceService: string | null): Direction {
  if (sourceService === null) {
    return 'unknown';
  }
  return sourceService === 'unknown' ? 'inbound' : 'outbound';
}

/** Source and destination from the service tags; the SPIFFE peer is not in the default formats. */
export function applyKumaServices(r: AccessRecord, source: string | null, destination: string | null): void {
  r.direction = kumaDirection(source);
  const src = parseKumaService(source);
  r.src_workload = src?.service ?? null;
  r.src_namespace = src?.namespace ?? null;
  const dst = parseKumaService(destination);
  r.dst_service = dst?.service ?? null;
  r.dst_namespace = dst?.namespace ?? null;
  r.dst_port = dst?.port ?? null;
}
