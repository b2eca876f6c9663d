/**
 * The `match` stage selector: a LogQL stream selector plus optional line filters, evaluated
 * against the entry's labels and line as Promtail's matcherStage does (label regexes are fully
 * anchored like Prometheus matchers; line-filter regexes are not).
 */
import { matchesGo } from './re2';

type LabelMatcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type LineFilter = { op: '|=' | '!=' | '|~' | '!~'; value: string };
export interface Selector {
  matchers: LabelMatcher[];
  filters: LineFilter[];
}

export class SelectorError extends Error {}

const STRING = String.raw`("(?:[^"\\]|\\.)*"|` + '`[^`]*`)';

function unquote(lit: string): string {
  return lit.startsWith('`') ? lit.slice(1, -1) : JSON.parse(lit);
}

export function parseSelector(text: string): Selector {
  const whole = new RegExp(String.raw`^\s*\{([^}]*)\}\s*(.*)$`, 's').exec(text);
  if (!whole) {
    throw new SelectorError(`not a stream selector: ${text}`);
  }
  const matchers: LabelMatcher[] = [];
  const mRe = new RegExp(String.raw`\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*${STRING}\s*(,|$)`, 'y');
  let pos = 0;
  const body = whole[1];
  while (pos < body.length && body.slice(pos).trim() !== '') {
    mRe.lastIndex = pos;
    const m = mRe.exec(body);
    if (!m) {
      throw new SelectorError(`bad label matcher in ${text}`);
    }
    matchers.push({ name: m[1], op: m[2] as LabelMatcher['op'], value: unquote(m[3]) });
    pos = mRe.lastIndex;
  }
  if (matchers.length === 0) {
    throw new SelectorError(`selector needs at least one matcher: ${text}`);
  }
  const filters: LineFilter[] = [];
  const fRe = new RegExp(String.raw`\s*(\|=|!=|\|~|!~)\s*${STRING}`, 'y');
  pos = 0;
  const rest = whole[2];
  while (pos < rest.length && rest.slice(pos).trim() !== '') {
    fRe.lastIndex = pos;
    const m = fRe.exec(rest);
    if (!m) {
      throw new SelectorError(`unsupported selector pipeline in ${text}`);
    }
    filters.push({ op: m[1] as LineFilter['op'], value: unquote(m[2]) });
    pos = fRe.lastIndex;
  }
  return { matchers, filters };
}

export function selectorMatches(sel: Selector, labels: Record<string, string>, line: string): boolean {
  for (const m of sel.matchers) {
    const v = labels[m.name] ?? '';
    const ok =
      m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : matchesGo(`^(?:${m.value})$`, v) === (m.op === '=~');
    if (!ok) {
      return false;
    }
  }
  for (const f of sel.filters) {
    const ok =
      f.op === '|=' ? line.includes(f.value) : f.op === '!=' ? !line.includes(f.value) : matchesGo(f.value, line) === (f.op === '|~');
    if (!ok) {
      return false;
    }
  }
  return true;
}
