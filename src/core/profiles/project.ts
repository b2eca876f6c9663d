/**
 * A raw profile's stages narrowed to the fields one metric query reads. Every `label_format`
 * template runs on every line (the biggest cost of a raw query after the regex captures), and a
 * topology count reads 6 of the ~20 fields a profile derives; so assignments nothing downstream
 * reads are left out, then the captures (labelFormat's line_format + regexp helpers) they needed,
 * then the line's save and restore, which only a log query's lines need.
 *
 * Works on the stage text the profiles build with labelFormat (logql-templates.ts): parser stages
 * are kept whole; only label_format, line_format, regexp and drop stages are narrowed.
 */
import { HELPER_PREFIX, LINE_LABEL } from './logql-templates';

/** The top-level `| ...` stages of a pipeline text (quotes and backtick strings kept whole). */
export function splitStages(text: string): string[] {
  const stages: string[] = [];
  let start = -1;
  let quote: '"' | '`' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') {
        i++;
      } else if (c === quote) {
        quote = null;
      }
    } else if (c === '"' || c === '`') {
      quote = c;
    } else if (c === '|' && (i === 0 || text[i - 1] === ' ')) {
      if (start >= 0) {
        stages.push(text.slice(start, i).trim());
      }
      start = i;
    }
  }
  if (start >= 0) {
    stages.push(text.slice(start).trim());
  }
  return stages;
}

/** `name=`template`` or `name=label` assignments of a label_format stage. */
function assignments(stage: string): Array<{ name: string; text: string; refs: string[] }> {
  const body = stage.replace(/^\| label_format /, '');
  const parts: string[] = [];
  let from = 0;
  let inTick = false;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '`') {
      inTick = !inTick;
    } else if (!inTick && body.startsWith(', ', i)) {
      parts.push(body.slice(from, i));
      from = i + 2;
    }
  }
  parts.push(body.slice(from));
  return parts.map((text) => {
    const eq = text.indexOf('=');
    const value = text.slice(eq + 1);
    const refs = value.startsWith('`') ? [...value.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]) : [value.trim()];
    return { name: text.slice(0, eq).trim(), text, refs };
  });
}

const REGEXP_NAME = /\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/;
const LINE_SOURCE = /^\| line_format `\{\{ \.([A-Za-z_][A-Za-z0-9_]*) \}\}`$/;

/**
 * The stages with only what computing `fields` needs. The line is left as the last capture set
 * it, so this is for metric queries only (their aggregation reads labels, never the line).
 */
export function projectStages(text: string, fields: Iterable<string>): string {
  const needed = new Set(fields);
  const kept: string[] = [];
  const stages = splitStages(text);
  // Regexp stages read the line the nearest line_format before them set.
  const lineSource = stages.map((_, i) => {
    for (let j = i; j >= 0; j--) {
      const m = LINE_SOURCE.exec(stages[j]);
      if (m) {
        return m[1];
      }
    }
    return null;
  });
  const sourcesUsed = new Set<string>();
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i];
    if (stage.startsWith('| drop ') || stage === `| label_format ${LINE_LABEL}=\`{{ __line__ }}\``) {
      continue;
    }
    const source = LINE_SOURCE.exec(stage);
    if (source) {
      if (source[1] !== LINE_LABEL && sourcesUsed.delete(source[1])) {
        kept.push(stage);
        needed.add(source[1]);
      }
      continue;
    }
    if (stage.startsWith('| regexp ')) {
      const name = REGEXP_NAME.exec(stage)?.[1];
      if (name && name.startsWith(HELPER_PREFIX) && !needed.has(name)) {
        continue;
      }
      sourcesUsed.add(lineSource[i] ?? '');
      kept.push(stage);
      continue;
    }
    if (stage.startsWith('| label_format ')) {
      const used = assignments(stage).filter((a) => needed.has(a.name));
      used.forEach((a) => a.refs.forEach((r) => needed.add(r)));
      if (used.length > 0) {
        kept.push(`| label_format ${used.map((a) => a.text).join(', ')}`);
      }
      continue;
    }
    kept.push(stage);
  }
  return kept.reverse().join(' ');
}
