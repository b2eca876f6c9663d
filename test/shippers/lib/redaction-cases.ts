/**
 * Secrets and PII injected into real access-log lines, with the exact line every shipper's
 * redaction must produce: the secret values masked, everything else byte for byte the same.
 */
import { fixtureLines } from './fixtures';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFsaWNlIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const fixture = (file: string, index: number) => fixtureLines().find((f) => f.file === file && f.index === index)!.line;
const istioOut = fixture('istio-text.log', 0);
const istioJson = fixture('istio-json.log', 1);
const linkerdJson = fixture('linkerd-json.log', 0);

export interface RedactionCase {
  name: string;
  line: string;
  secrets: string[];
  redacted: string;
}

export const REDACTION_CASES: RedactionCase[] = [
  {
    name: 'secret query parameters, an e-mail and a JWT in an Istio text path',
    line: istioOut.replace('/status/418', `/status/418?api_key=S3cr3tK3y&user=alice.smith@example.com&token=${JWT}&password=hunter2&page=2`),
    secrets: ['S3cr3tK3y', 'alice.smith@example.com', JWT, 'hunter2'],
    redacted: istioOut.replace('/status/418', '/status/418?api_key=REDACTED&user=REDACTED&token=REDACTED&password=REDACTED&page=2'),
  },
  {
    name: 'a URL-encoded e-mail in a path segment and an access token after a semicolon',
    line: istioOut.replace('/status/418', '/users/bob%40corp.example.org/orders;access_token=tok-123'),
    secrets: ['bob%40corp.example.org', 'tok-123'],
    redacted: istioOut.replace('/status/418', '/users/REDACTED/orders;access_token=REDACTED'),
  },
  {
    name: 'Authorization and Cookie values logged by a custom Istio JSON format',
    line: istioJson.replace('"method":"GET"', `"method":"GET","authorization":"Bearer ${JWT}","cookie":"session=abc; theme=dark","x-api-key":"k-999"`),
    secrets: [JWT, 'session=abc', 'k-999'],
    redacted: istioJson.replace('"method":"GET"', '"method":"GET","authorization":"REDACTED","cookie":"REDACTED","x-api-key":"REDACTED"'),
  },
  {
    name: 'a bearer token and a basic credential inside a user agent, and a password in URL userinfo',
    line: linkerdJson.replace('"Go-http-client/1.1"', '"curl (Bearer abc.DEF-123_x) Basic dXNlcjpwYXNz"').replace('"uri":"http://webapp:7000/"', '"uri":"http://svc:pa55w0rd@webapp:7000/"'),
    secrets: ['abc.DEF-123_x', 'dXNlcjpwYXNz', 'pa55w0rd'],
    redacted: linkerdJson.replace('"Go-http-client/1.1"', '"curl (Bearer REDACTED) Basic REDACTED"').replace('"uri":"http://webapp:7000/"', '"uri":"http://svc:REDACTED@webapp:7000/"'),
  },
];

