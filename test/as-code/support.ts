/** Shared helpers for the as-code tests: repository paths, YAML loading, env-reference checks. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '../..');

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** One YAML document; throws with the file name when it does not parse. */
export function readYaml<T = any>(path: string): T {
  const docs = parseAllDocuments(readText(path));
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) {
    throw new Error(`${path}: ${errors.map((e) => e.message).join('; ')}`);
  }
  // Shipper configs reuse templates through many YAML aliases; that is not an error here.
  return docs[0]?.toJS({ maxAliasCount: -1 }) as T;
}

export function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs).sort()) {
      const child = join(abs, name);
      if (statSync(child).isDirectory()) {
        walk(child);
      } else if (accept(name)) {
        out.push(relative(ROOT, child));
      }
    }
  };
  walk(join(ROOT, dir));
  return out;
}

export const isYamlFile = (name: string) => /\.ya?ml$/.test(name);
/** Shipper configs that are not YAML (program code such as Lua or Ruby filters is not config). */
export const isOtherConfigFile = (name: string) => /\.(alloy|river|conf|toml|ini|properties|env)$/.test(name);

/**
 * A value that comes from the environment rather than the file: Grafana's `$VAR`, `${VAR}`,
 * `$__env{VAR}`, `$__file{/path}`, or compose's `${VAR:?message}` / `${VAR:-default}`.
 */
const ENV_REFERENCE =
  /^(\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}|\$__env\{[A-Za-z_][A-Za-z0-9_]*\}|\$__file\{[^}]+\})$/;

export function isEnvReference(value: unknown): boolean {
  return typeof value === 'string' && ENV_REFERENCE.test(value.trim());
}

const SECRET_KEY = /(pass(word)?|secret|token|api[_-]?key|credential|private[_-]?key|httpHeaderValue\d*)$/i;

export interface SecretFinding {
  path: string;
  value: string;
}

/**
 * Keys that name a secret and hold a literal string. Everything under `secureJsonData` counts
 * as a secret whatever its key, since Grafana encrypts exactly those values.
 */
export function findPlainSecrets(node: unknown, path = '', underSecure = false): SecretFinding[] {
  if (Array.isArray(node)) {
    return node.flatMap((v, i) => findPlainSecrets(v, `${path}[${i}]`, underSecure));
  }
  if (node !== null && typeof node === 'object') {
    return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => {
      const here = path ? `${path}.${key}` : key;
      const secure = underSecure || key === 'secureJsonData';
      if (typeof value === 'string' || typeof value === 'number') {
        const literal = String(value);
        const secretish = secure || SECRET_KEY.test(key);
        return secretish && literal !== '' && !isEnvReference(literal) ? [{ path: here, value: literal }] : [];
      }
      return findPlainSecrets(value, here, secure);
    });
  }
  return [];
}

/** Parses `{a="x", b="y"}` (equality matchers only) into a label map; throws on anything else. */
export function parseEqualitySelector(selector: string): Record<string, string> {
  const body = selector.trim().replace(/^\{/, '').replace(/\}$/, '');
  const out: Record<string, string> = {};
  for (const part of body.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"\\]*)"\s*$/.exec(part);
    if (!m) {
      throw new Error(`not an equality matcher: ${JSON.stringify(part)} in ${selector}`);
    }
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * Secret-looking assignments in a non-YAML config (Alloy, Fluent Bit, Vector, Logstash, .env):
 * `password = "x"`, `token: x`, `api_key => "x"`, Fluent Bit's `HTTP_Passwd x`. Values that
 * read the environment or a file (`sys.env("X")`, `${X}`, `${env:X}`, `env("X")`, `*_file`
 * keys) are fine.
 */
const SECRET_NAME = '[A-Za-z_.-]*(?:password|passwd|secret|token|api[_-]?key|credentials?)';
const ASSIGNMENT = new RegExp(`\\b(${SECRET_NAME})\\b["']?\\s*(?:=>|=|:)\\s*(?:"([^"]*)"|'([^']*)'|([^\\s#,;{}]+))`, 'gi');
const SPACED = new RegExp(`^\\s*(${SECRET_NAME})\\s+([^\\s=:>]\\S*)\\s*$`, 'i');
/** Grafana/compose/Vector/Logstash `${X}`, Alloy `sys.env("X")`, Fluentd `#{ENV['X']}`, Fluent Bit `${X}`. */
const READS_ENV_OR_FILE = /^(\$\{|\$[A-Za-z_]|sys\.env\(|env\(|%\{|\$__(env|file)\{|#\{ENV\[)/;
/** Flags and numbers (e.g. `token_refresh = true`) are settings, not secrets. */
const NOT_A_SECRET_VALUE = /^(true|false|yes|no|on|off|null|none|\d+)$/i;

export function findPlainSecretsInText(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#|\/\/)/.test(line)) {
      continue;
    }
    const spaced = SPACED.exec(line);
    const pairs = spaced
      ? [{ key: spaced[1], value: spaced[2].replace(/^(["'])(.*)\1$/, '$2') }]
      : [...line.matchAll(ASSIGNMENT)].map((m) => ({ key: m[1], value: m[2] ?? m[3] ?? m[4] ?? '' }));
    for (const { key, value } of pairs) {
      if (value !== '' && !/(_file|_path|file)$/i.test(key) && !READS_ENV_OR_FILE.test(value) && !NOT_A_SECRET_VALUE.test(value)) {
        found.push(line.trim());
      }
    }
  }
  return found;
}
