/** @jest-environment node */
import { parser } from '@grafana/lezer-logql';
import { PROFILE_NAMES, type ProfileName } from '../schema';
import { fixtureLines } from '../../../test/support/fixtures';
import { PROFILES } from './index';
import { splitStages } from './project';

/** Error nodes in the lezer-logql parse tree, with the text they cover. */
function syntaxErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`at ${node.from}: ${JSON.stringify(query.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      }
    },
  });
  return errors;
}

/** Label names a stage assigns: `| json a="x", b` and `| label_format a=...`, and pattern captures. */
function assignedLabels(stage: string): Set<string> {
  const names = new Set<string>();
  for (const m of stage.matchAll(/<([a-z_0-9]+)>/g)) {
    names.add(m[1]);
  }
  for (const m of stage.matchAll(/(?:^|[ ,|])([a-z_]+)(?:="[^"]*"|=`)/g)) {
    names.add(m[1]);
  }
  for (const m of stage.matchAll(/\| json ([^|]*)/g)) {
    for (const part of m[1].split(',')) {
      names.add(part.trim().split('=')[0]);
    }
  }
  return names;
}

/** Labels the parser stages (`| json`, `| pattern`) and the captures' `| regexp` stages extract. */
function assignedLabelsBeforeFormat(stage: string): Set<string> {
  return assignedLabels(splitStages(stage).filter((s) => !s.startsWith('| label_format')).join(' '));
}

/** `| json label="path", bare` → [label, path] pairs (a bare name is its own path). */
function jsonExtractions(stage: string): Array<[string, string]> {
  const m = /\| json (.*?)(?= \| |$)/.exec(stage);
  if (!m) {
    return [];
  }
  return m[1].split(/, (?=[a-z_]+(?:=|,|$))/).map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      return [part.trim(), part.trim()];
    }
    const quoted = part.slice(eq + 1).trim();
    const path = quoted.startsWith('`') ? quoted.slice(1, -1) : (JSON.parse(quoted) as string);
    return [part.slice(0, eq).trim(), path];
  });
}

// Loki's JSON expression grammar (pkg/logql/log/jsonexpr): a field, `["key"]` or `[n]`, then
// `.field`, `["key"]` or `[n]` steps. A dot always means nesting.
const STEP = /^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\["([^"]*)"\]|\[(\d+)\])/;

/** Evaluates a Loki JSON expression on a parsed object, as Loki does; undefined when absent. */
function evaluatePath(value: unknown, path: string): unknown {
  let rest = path;
  let current = value;
  let first = true;
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m || (first && rest.startsWith('.'))) {
      throw new Error(`not a Loki JSON expression: ${path}`);
    }
    first = false;
    rest = rest.slice(m[0].length);
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    const key = m[1] ?? m[2] ?? Number(m[3]);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

const JSON_FIXTURES: Partial<Record<ProfileName, string[]>> = {
  'istio-json': ['istio-json.log', 'istio-json-constructed.log'],
  consul: ['consul.log'],
  'envoy-json': ['envoy-json.log', 'istio-json.log'],
  'linkerd-json': ['linkerd-json.log'],
  'hubble-json': ['hubble-json.log', 'hubble-json-constructed.log'],
};

// Extractions no fixture line of that format carries (the stage reads them when present).
const ABSENT_IN_FIXTURES: Partial<Record<ProfileName, string[]>> = {
  consul: ['dst_identity'],
  'envoy-json': ['src_identity', 'dst_identity'],
};

describe('profile LogQL stages', () => {
  it.each(Object.entries(JSON_FIXTURES))(
    '%s: every | json path is valid and finds its field in real lines',
    (name, files) => {
      const objects = files.flatMap((f) => fixtureLines(f)).map((l) => JSON.parse(l) as unknown);
      const extractions = jsonExtractions(PROFILES[name as ProfileName].logqlStage);
      expect(extractions.length).toBeGreaterThan(5);
      for (const [label, path] of extractions) {
        const found = objects.filter((o) => evaluatePath(o, path) !== undefined).length;
        const expectFound = !(ABSENT_IN_FIXTURES[name as ProfileName] ?? []).includes(label);
        expect({ label, path, found: found > 0 }).toEqual({ label, path, found: expectFound });
      }
    }
  );

  it.each(PROFILE_NAMES.map((n) => [n]))('%s: appended to a selector, parses with @grafana/lezer-logql', (name) => {
    const stage = PROFILES[name].logqlStage;
    expect(stage.startsWith('| ')).toBe(true);
    for (const query of [`{mesh="x"} ${stage}`, `sum by (dst_service) (count_over_time({mesh="x"} ${stage} [5m]))`]) {
      expect(syntaxErrors(query)).toEqual([]);
    }
  });

  it('the lezer check does catch a broken stage', () => {
    expect(syntaxErrors('{mesh="x"} | label_format a=`{{ .b }}` b')).not.toEqual([]);
    expect(syntaxErrors('{mesh="x"} | json a="b", | pattern')).not.toEqual([]);
  });

  it.each(PROFILE_NAMES.map((n) => [n]))('%s: yields the common-schema names the query side needs', (name) => {
    const labels = assignedLabels(PROFILES[name].logqlStage);
    for (const field of ['direction', 'mtls', 'mtls_basis', 'authz']) {
      expect(labels).toContain(field);
    }
    if (name !== 'kuma-tcp' && name !== 'hubble-json') {
      for (const field of ['status', 'method', 'path']) {
        expect(labels).toContain(field);
      }
    }
    if (name !== 'linkerd-apache') {
      expect(labels).toContain('duration_ms');
    }
    if (!['envoy-text', 'envoy-json', 'linkerd-json', 'linkerd-apache'].includes(name)) {
      expect(labels).toContain('dst_service');
      expect(labels).toContain('dst_namespace');
    }
  });

  it.each(PROFILE_NAMES.map((n) => [n]))(
    '%s: templates are well formed and read only labels the stage extracts',
    (name) => {
      const stage = PROFILES[name].logqlStage;
      const extracted = assignedLabelsBeforeFormat(stage);
      for (const [, label, template] of stage.matchAll(/([a-z_]+)=`([^`]*)`/g)) {
        const actions = [...template.matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1].trim());
        // Every {{ was closed, and if/else/end nest.
        expect({ label, open: template.split('{{').length, close: template.split('}}').length }).toEqual({
          label,
          open: actions.length + 1,
          close: actions.length + 1,
        });
        let depth = 0;
        for (const action of actions) {
          if (action.startsWith('if ')) {
            depth++;
          } else if (action === 'end') {
            depth--;
          } else if (action.startsWith('else') && depth === 0) {
            depth = -99;
          }
          expect({ label, depth: Math.min(depth, 0) }).toEqual({ label, depth: 0 });
        }
        expect({ label, depth }).toEqual({ label, depth: 0 });
        // Captures are compiled into regexp stages (labelFormat), none is left to compile per call.
        expect({ label, capture: /regexReplaceAll "[^"]*[|]\^[.][*]\$"/.test(template) }).toEqual({ label, capture: false });
        // Field references: extracted by this stage's parser, or the namespace stream label.
        const withoutStrings = template.replace(/"[^"]*"/g, '""');
        for (const [, ref] of withoutStrings.matchAll(/(?<![\w$])\.([a-z_0-9]+)/g)) {
          expect({ label, ref, known: extracted.has(ref) || ref === 'namespace' }).toEqual({ label, ref, known: true });
        }
      }
    }
  );

  it.each(PROFILE_NAMES.map((n) => [n]))('%s: capture regexes compile (ours use only syntax common to RE2 and JavaScript)', (name) => {
    for (const [, re] of PROFILES[name].logqlStage.matchAll(/\| regexp `([^`]*)`/g)) {
      expect(() => new RegExp(re.replace(/\(\?P</g, '(?<'))).not.toThrow();
    }
  });

  it('no stage assigns the same label twice in one label_format (Loki rejects that)', () => {
    for (const name of PROFILE_NAMES) {
      for (const m of PROFILES[name].logqlStage.matchAll(/\| label_format (.*?)(?= \| |$)/g)) {
        const assigned = [...m[1].matchAll(/(?:^|, )([a-z_]+)=`/g)].map((x) => x[1]);
        expect(new Set(assigned).size).toBe(assigned.length);
      }
    }
  });
});
