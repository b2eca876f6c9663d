/**
 * The CLI's `LokiTransport`: direct HTTP(S) to a Loki URL, with an optional tenant
 * (`X-Scope-OrgID`), basic auth or a bearer token, and TLS options.
 *
 * Built on node:http / node:https rather than the global fetch: Node 20's fetch takes TLS options
 * only through an undici `Agent` passed as `dispatcher`, and Node does not expose undici's classes
 * (there is no `node:undici`); installing the `undici` package to get them would pin a second copy
 * that must match Node's bundled one. node:https takes `ca`, client certificates and
 * `rejectUnauthorized` directly, and supports AbortSignal, so one code path serves http and https.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';

import { LokiError } from '../core/loki/errors';
import type { LokiRawResponse, LokiRequest, LokiTransport } from '../core/loki/types';

export interface LokiTlsOptions {
  /** PEM file of the CA that signed Loki's certificate (added to, not replacing, Node's roots). */
  caFile?: string;
  /** PEM client certificate and key, for Loki behind mTLS. */
  certFile?: string;
  keyFile?: string;
  /** Accept any server certificate. For testing only: it disables server authentication. */
  insecureSkipVerify?: boolean;
}

export interface LokiHttpOptions {
  /** Loki's root URL, e.g. `http://loki:3100` or `https://gateway.example/loki-prefix`. */
  url: string;
  /** Sent as `X-Scope-OrgID`; `a|b` for a multi-tenant query. */
  tenant?: string;
  basicAuth?: { username: string; password: string };
  bearerToken?: string;
  tls?: LokiTlsOptions;
  /** Per request; 0 = none (default 60 s, above Loki's default query_timeout of 1m it would be pointless). */
  timeoutMs?: number;
  /** Extra headers for every request (e.g. a gateway's own). */
  headers?: Record<string, string>;
}

function configError(message: string): LokiError {
  return new LokiError({ kind: 'invalid-request', status: 0, lokiMessage: '', message });
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw configError(`Cannot read the ${what} file ${path}: ${(error as Error).message}.`);
  }
}

function checkHeaderValue(name: string, value: string): string {
  // Node refuses these itself, but with a message that does not say which setting is wrong.
  if (/[\r\n\0]/.test(value)) {
    throw configError(`The ${name} must not contain line breaks or NUL characters.`);
  }
  return value;
}

/** The fixed headers every request carries (auth, tenant, extras). */
export function lokiHeaders(options: LokiHttpOptions): Record<string, string> {
  if (options.basicAuth && options.bearerToken) {
    throw configError('Choose basic auth or a bearer token for Loki, not both.');
  }
  const headers: Record<string, string> = { Accept: 'application/json, text/plain;q=0.9' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name] = checkHeaderValue(`header ${name}`, value);
  }
  if (options.tenant !== undefined && options.tenant !== '') {
    headers['X-Scope-OrgID'] = checkHeaderValue('tenant (X-Scope-OrgID)', options.tenant);
  }
  if (options.basicAuth) {
    const { username, password } = options.basicAuth;
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }
  if (options.bearerToken) {
    headers.Authorization = `Bearer ${checkHeaderValue('bearer token', options.bearerToken)}`;
  }
  return headers;
}

function baseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError(`The Loki URL "${url}" is not a valid URL; expected e.g. http://loki:3100.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw configError(`The Loki URL must start with http:// or https://, got "${url}".`);
  }
  if (parsed.username || parsed.password) {
    throw configError('Put Loki credentials in the basic-auth options, not in the URL (URLs end up in logs).');
  }
  return parsed;
}

/** The full URL of a request: Loki's root (with any path prefix) + API path + query string. */
export function requestUrl(base: URL, request: LokiRequest): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${request.path}`;
  url.search = '';
  for (const [name, value] of Object.entries(request.params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(name, v);
    }
  }
  return url;
}

/** Endpoints Loki also serves as POST with a form body; used when a GET URL would be too long. */
const POST_CAPABLE =
  /\/loki\/api\/v1\/(query_range|query|series|index\/stats|index\/volume|index\/volume_range|detected_fields)$/;
/** Many proxies refuse request lines above 8 KiB. */
export const MAX_GET_URL_LENGTH = 8000;

function networkError(error: NodeJS.ErrnoException, url: URL): LokiError {
  const code = error.code ?? '';
  let advice = 'Check the Loki URL, that Loki is running and reachable, and proxies/firewalls in between.';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/i.test(code + error.message)) {
    advice =
      "TLS verification failed: pass the CA that signed Loki's certificate (tls.caFile), check that the host " +
      'name matches the certificate, or (testing only) skip verification (tls.insecureSkipVerify).';
  } else if (code === 'ECONNREFUSED') {
    advice = `Nothing accepts connections at ${url.host}: check the Loki URL and port and that Loki is running.`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    advice = `The host ${url.hostname} cannot be resolved: check the Loki URL.`;
  } else if (code === 'ECONNRESET' && url.protocol === 'http:') {
    advice = 'The server closed the connection: if Loki serves HTTPS on this port, use an https:// URL.';
  } else if (code === 'EPROTO' || /wrong version number/i.test(error.message)) {
    advice = 'The TLS handshake failed: is the URL scheme (http vs https) right for this port?';
  }
  return new LokiError({
    kind: 'network',
    status: 0,
    lokiMessage: '',
    message: `Could not reach Loki at ${url.origin} (${code || error.message}): ${advice}`,
    cause: error,
  });
}

export function createLokiHttpTransport(options: LokiHttpOptions): LokiTransport {
  const base = baseUrl(options.url);
  const fixedHeaders = lokiHeaders(options);
  const tls = options.tls ?? {};
  if (tls.insecureSkipVerify && tls.caFile) {
    throw configError('Pass a CA file or skip verification, not both.');
  }
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    throw configError('A client certificate needs both the certificate file and the key file.');
  }
  const isHttps = base.protocol === 'https:';
  if (!isHttps && (tls.caFile || tls.certFile || tls.insecureSkipVerify)) {
    throw configError(`TLS options were given but the Loki URL is plain http: ${base.href}.`);
  }
  const tlsOptions: https.RequestOptions = {};
  if (isHttps) {
    if (tls.caFile) {
      // Added to Node's roots so a public gateway certificate keeps working alongside a private CA.
      tlsOptions.ca = [...rootCertificates, readPem(tls.caFile, 'CA')];
    }
    if (tls.certFile && tls.keyFile) {
      tlsOptions.cert = readPem(tls.certFile, 'client certificate');
      tlsOptions.key = readPem(tls.keyFile, 'client key');
    }
    tlsOptions.rejectUnauthorized = !tls.insecureSkipVerify;
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const send = isHttps ? https.request : http.request;

  return {
    request(request: LokiRequest): Promise<LokiRawResponse> {
      let url = requestUrl(base, request);
      const headers: Record<string, string> = { ...fixedHeaders, ...(request.headers ?? {}) };
      let form: string | undefined;
      if (url.href.length > MAX_GET_URL_LENGTH && POST_CAPABLE.test(url.pathname)) {
        form = url.searchParams.toString();
        url = new URL(url.href);
        url.search = '';
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = String(Buffer.byteLength(form));
      }
      const method = form === undefined ? 'GET' : 'POST';
      const target = url;
      return new Promise<LokiRawResponse>((resolve, reject) => {
        const req = send(target, { method, headers, signal: request.signal, ...tlsOptions }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(networkError(error, target)));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              contentType: res.headers['content-type'],
            })
          );
        });
        if (timeoutMs > 0) {
          req.setTimeout(timeoutMs, () => {
            req.destroy();
            reject(
              new LokiError({
                kind: 'timeout',
                status: 0,
                lokiMessage: '',
                message:
                  `Loki did not answer within ${timeoutMs / 1000}s: shorten the time range or add exact label ` +
                  'matchers, or allow a longer timeout.',
              })
            );
          });
        }
        req.on('error', (error: NodeJS.ErrnoException) => {
          // An abort surfaces as an AbortError; the client turns it into its own aborted error.
          reject(error.name === 'AbortError' ? error : networkError(error, target));
        });
        req.end(form);
      });
    },
  };
}
