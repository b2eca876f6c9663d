/** @jest-environment node */
/**
 * Both Promtail configs are documented to run with -config.expand-env=true, which runs the whole
 * file (comments included) through drone/envsubst before YAML parsing. A backslash or dollar sign
 * that envsubst rewrites silently changes a regex, a selector or a template; a `${` that is no
 * valid substitution stops Promtail. So: expansion must change nothing but the documented
 * variables, and every stage must load after it as Promtail would load it.
 */
import { EnvsubstError, expandEnv } from './lib/envsubst';
import { job, loadPromtail, promtailText } from './lib/promtail-config';
import { parseSelector, SelectorError } from './lib/match-selector';
import { compileGo } from './lib/re2';
import { parseTemplate } from './lib/go-template';
import type { Stage } from './lib/promtail-pipeline';

const FILES = [
  { file: 'promtail.yaml', job: 'mesh-access-files', vars: ['LOKI_PUSH_URL', 'LOKI_TENANT', 'MESH_LOG_ROOT', 'PROMTAIL_POSITIONS', 'PROMTAIL_HTTP_PORT'] },
  { file: 'promtail.k8s.yaml', job: 'mesh-access-pods', vars: ['CLUSTER_NAME', 'LOKI_TENANT', 'LOKI_USERNAME'] },
];

const REFERENCE = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

/** What the text should become: only `${VAR}` / `${VAR:-default}` references replaced. */
function referencesOnly(text: string, env: Record<string, string>): string {
  return text.replace(REFERENCE, (_all, name: string, fallback?: string) => env[name] || fallback || '');
}

/** Every match selector, regex and template in a pipeline, nested ones included. */
function* pieces(stages: Stage[]): Generator<{ kind: 'selector' | 'regex' | 'template'; text: string }> {
  for (const stage of stages) {
    const [kind, body] = Object.entries(stage)[0] as [string, Record<string, unknown>];
    if (kind === 'match') {
      yield { kind: 'selector', text: String(body.selector) };
      yield* pieces((body.stages as Stage[] | undefined) ?? []);
    } else if (kind === 'regex' || kind === 'replace') {
      yield { kind: 'regex', text: String(body.expression) };
      if (kind === 'replace' && body.replace !== undefined) {
        yield { kind: 'template', text: String(body.replace) };
      }
    } else if (kind === 'template') {
      yield { kind: 'template', text: String(body.template) };
    }
  }
}

describe.each(FILES)('$file under -config.expand-env=true', ({ file, job: jobName, vars }) => {
  const text = promtailText(file);

  it('changes nothing but its documented environment references', () => {
    const env = Object.fromEntries(vars.map((v) => [v, `<${v}>`]));
    expect(expandEnv(text, env)).toBe(referencesOnly(text, env));
    expect(new Set([...text.matchAll(REFERENCE)].map((m) => m[1]))).toEqual(new Set(vars));
  });

  it('loads every selector, regex and template of its pipeline after expansion', () => {
    const stages = job(loadPromtail(file), jobName).pipeline_stages;
    const failures: string[] = [];
    let count = 0;
    for (const p of pieces(stages)) {
      count++;
      try {
        if (p.kind === 'selector') {
          parseSelector(p.text);
        } else if (p.kind === 'regex') {
          compileGo(p.text);
        } else {
          parseTemplate(p.text);
        }
      } catch (e) {
        failures.push(`${p.kind} ${p.text.slice(0, 80)}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(150);
  });
});

describe('the expansion rules the configs are written for (drone/envsubst, as in Loki)', () => {
  it('eats one backslash of a doubled one, so an escaped LogQL string stops parsing', () => {
    const written = String.raw`{container="istio-proxy"} |~ "^\\s*\\{"`;
    expect(() => parseSelector(written)).not.toThrow();
    const expanded = expandEnv(written, {});
    expect(expanded).toBe(String.raw`{container="istio-proxy"} |~ "^\s*\{"`);
    // Promtail: "invalid selector syntax for match stage: ... invalid char escape".
    expect(() => parseSelector(expanded)).toThrow(SelectorError);
    expect(() => parseSelector(expanded)).toThrow(/invalid char escape/);
  });

  it('expands a regex back-reference written with braces to nothing, and leaves $1 alone', () => {
    expect(expandEnv('{{ regexReplaceAll "^0+([0-9])" .x "${1}" }}', {})).toBe('{{ regexReplaceAll "^0+([0-9])" .x "" }}');
    expect(expandEnv('{{ regexReplaceAll "^0+([0-9])" .x "$1" }}', {})).toBe('{{ regexReplaceAll "^0+([0-9])" .x "$1" }}');
  });

  it('collapses $$ and drops the backslash before a slash; leaves other backslashes', () => {
    expect(expandEnv(String.raw`$$HOME a\/b [^"\x5c] \s \[`, { HOME: 'x' })).toBe(String.raw`$HOME a/b [^"\x5c] \s \[`);
  });

  it('refuses a ${ that is no substitution, as Promtail refuses to start', () => {
    expect(() => expandEnv('# see ${...} below', {})).toThrow(EnvsubstError);
    expect(() => expandEnv('x: ${UNCLOSED', {})).toThrow(/missing closing brace/);
  });
});
