/**
 * Go `regexp` (RE2) semantics in JS through re2js, so the shipper regexes are tested with the
 * syntax and matching rules the shippers really use: `(?P<name>...)` groups, no backtracking
 * constructs, leftmost-first alternation. A pattern Go would reject is rejected here too.
 */
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS>();

export function compileGo(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    cache.set(pattern, re);
  }
  return re;
}

/** Go's FindStringSubmatch as a name → value map; non-participating groups give "" like Go. */
export function findNamed(pattern: string, input: string): Record<string, string> | null {
  const re = compileGo(pattern);
  const m = re.matcher(input);
  if (!m.find()) {
    return null;
  }
  const out: Record<string, string> = {};
  for (const name of Object.keys(re.namedGroups())) {
    out[name] = m.group(name) ?? '';
  }
  return out;
}

export function matchesGo(pattern: string, input: string): boolean {
  return compileGo(pattern).matcher(input).find();
}

/** Go's FindAllStringSubmatchIndex: [start, end, g1start, g1end, ...] per match, -1 for unmatched groups. */
export function findAllSubmatchIndex(pattern: string, input: string): number[][] {
  const re = compileGo(pattern);
  const m = re.matcher(input);
  const groups = m.groupCount();
  const all: number[][] = [];
  let from = 0;
  while (from <= input.length && m.find(from)) {
    const idx: number[] = [];
    for (let g = 0; g <= groups; g++) {
      idx.push(m.start(g), m.end(g));
    }
    all.push(idx);
    // An empty match must not loop forever; Go advances one position past it.
    from = m.end(0) > m.start(0) ? m.end(0) : m.end(0) + 1;
  }
  return all;
}

/** Go's Regexp.Expand template rules: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, groups: Array<string | null>, names: Record<string, number>): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, whole, braced, bare) => {
    if (whole === '$') {
      return '$';
    }
    const ref: string = braced ?? bare;
    const index = /^\d+$/.test(ref) ? Number(ref) : names[ref];
    return index !== undefined && index < groups.length ? (groups[index] ?? '') : '';
  });
}

/** Go's ReplaceAllString (with `$` expansion) or ReplaceAllLiteralString. */
export function replaceAllGo(pattern: string, input: string, replacement: string, literal = false): string {
  const re = compileGo(pattern);
  const names = re.namedGroups();
  let out = '';
  let last = 0;
  for (const idx of findAllSubmatchIndex(pattern, input)) {
    const groups: Array<string | null> = [];
    for (let g = 0; g < idx.length; g += 2) {
      groups.push(idx[g] < 0 ? null : input.slice(idx[g], idx[g + 1]));
    }
    out += input.slice(last, idx[0]) + (literal ? replacement : expand(replacement, groups, names));
    last = idx[1];
  }
  return out + input.slice(last);
}
