/**
 * What Vector does to vector.yaml before its remap runs: environment interpolation on the raw
 * file (modelled here), then the VRL program, which test/shippers/vector-vrl.test.ts compiles and
 * runs with the vrl crate (opt-in).
 */
import { join } from 'node:path';

export const VECTOR_YAML = join(__dirname, '..', '..', 'provisioning', 'shippers', 'vector', 'vector.yaml');

/**
 * Vector >= 0.38 (src/config/vars.rs): `$$` is a literal `$`; `$NAME` and `${NAME}` are replaced,
 * with `${NAME:-default}`, `${NAME-default}`, `${NAME:?err}`, `${NAME?err}`; an unset name
 * without a default stops Vector. Applied to the whole text, comments included.
 */
export function vectorInterpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$(\w+)|\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (all, bare?: string, name?: string, op?: string, arg?: string) => {
    if (all === '$$') {
      return '$';
    }
    const key = (bare ?? name)!;
    const value = env[key];
    const empty = value === undefined || (op?.startsWith(':') && value === '');
    if (!empty) {
      return value!;
    }
    if (op === ':-' || op === '-') {
      return value === undefined || op === ':-' ? arg ?? '' : value;
    }
    throw new Error(`Vector would not start: environment variable ${key} is not set${op?.endsWith('?') ? ` (${arg})` : ''}`);
  });
}
