/** @jest-environment node */
import { parser } from '@grafana/lezer-logql';
import { PROFILE_NAMES } from '../schema';
import { PROFILES } from './index';

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
  for (const m of stage.matchAll(/<([a-z_]+)>/g)) {
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

describe('profile LogQL stages', () => {
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

  it('no stage assigns the same label twice in one label_format (Loki rejects that)', () => {
    for (const name of PROFILE_NAMES) {
      for (const m of PROFILES[name].logqlStage.matchAll(/\| label_format (.*?)(?= \| |$)/g)) {
        const assigned = [...m[1].matchAll(/(?:^|, )([a-z_]+)=`/g)].map((x) => x[1]);
        expect(new Set(assigned).size).toBe(assigned.length);
      }
    }
  });
});
