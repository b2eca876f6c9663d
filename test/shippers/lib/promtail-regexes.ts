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

/** The Go (RE2) regex Promtail parses `format` lines with. */
export function promtailRegex(format: string, file = 'promtail.k8s.yaml'): string {
  for (const j of loadPromtail(file).scrape_configs) {
    const found = regexIn(j.pipeline_stages, format);
    if (found) {
      return found;
    }
  }
  throw new Error(`no {format="${format}"} regex stage in ${file}`);
}
