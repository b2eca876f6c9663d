/**
 * The per-format regexes of the Promtail pipelines (run on real Promtail and by the stage
 * evaluator on every fixture line): the other shippers must use exactly these, in their own
 * regex spelling. Found by the `{format="..."}` match block, in whichever job carries it.
 */
import type { Stage } from './promtail-pipeline';
import { loadPromtail } from './promtail-config';

function regexIn(stages: Stage[], format: string): string | undefined {
  for (const s of stages) {
    if (!('match' in s)) {
      continue;
    }
    const m = s.match as { selector: string; stages?: Stage[] };
    const inner = m.stages ?? [];
    if (m.selector === `{format="${format}"}`) {
      const re = inner.find((x) => 'regex' in x) as { regex: { expression: string } } | undefined;
      if (re) {
        return re.regex.expression;
      }
    }
    const nested = regexIn(inner, format);
    if (nested) {
      return nested;
    }
  }
  return undefined;
}

/**
 * The expression as the other shippers spell it. Promtail's captures nothing for a lone "-"
 * (`(?:-|(?P<x>...))` matches the same lines as `(?P<x>...)`; its template then needs no `ne`),
 * and marks Kuma's TCP line with a `k_tcp` group; the other shippers blank "-" in their own
 * code, so they use the plain groups.
 */
export function withoutDashAlternatives(expr: string): string {
  let out = expr.replace('(?P<k_tcp>took)', 'took');
  for (let at = out.indexOf('(?:-|(?P<'); at >= 0; at = out.indexOf('(?:-|(?P<')) {
    // The wrapper's closing parenthesis: the first one that brings the depth back to zero.
    let depth = 0;
    let end = -1;
    for (let i = at; i < out.length && end < 0; i++) {
      if (out[i] === '\\') {
        i++;
      } else if (out[i] === '[') {
        // A character class may hold parentheses: skip to its end (past escapes; `[]` or `[^]` opens with a literal `]`).
        i += out[i + 1] === '^' ? 2 : 1;
        for (i += out[i] === ']' ? 1 : 0; out[i] !== ']'; i++) {
          i += out[i] === '\\' ? 1 : 0;
        }
      } else if (out[i] === '(') {
        depth++;
      } else if (out[i] === ')' && --depth === 0) {
        end = i;
      }
    }
    out = out.slice(0, at) + out.slice(at + '(?:-|'.length, end) + out.slice(end + 1);
  }
  return out;
}

/** The Go (RE2) regex Promtail parses `format` lines with, spelled as the other shippers spell it. */
export function promtailRegex(format: string, file = 'promtail.k8s.yaml'): string {
  for (const j of loadPromtail(file).scrape_configs) {
    const found = regexIn(j.pipeline_stages, format);
    if (found) {
      return withoutDashAlternatives(found);
    }
  }
  throw new Error(`no {format="${format}"} regex stage in ${file}`);
}
