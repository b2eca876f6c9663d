/** @jest-environment node */
import { labelFormat } from './logql-templates';
import { projectStages, splitStages } from './project';

// One capture on `uc`, one on `sni`, and assignments that read them, each other, and a stream label.
const STAGE = [
  '| pattern `<uc> <sni> <status>`',
  labelFormat({
    dst: '{{ regexReplaceAll "^out[|]([^.]+)[.].*$|^.*$" .uc "${1}" }}',
    ns: '{{ regexReplaceAll "^out[|][^.]+[.]([^.]+)$|^.*$" .uc "${1}" }}',
    host: '{{ regexReplaceAll "^([^ ]+)$|^.*$" .sni "${1}" }}',
    code: '{{ .status }}',
  }),
  labelFormat({ who: '{{ if .dst }}{{ .dst }}{{ else }}{{ .namespace }}{{ end }}' }),
].join(' ');

describe('splitStages', () => {
  it('splits at top-level pipes only, keeping quoted and backtick pipes inside their stage', () => {
    expect(splitStages('| json a="x|y" | label_format b=`{{ if hasPrefix "in|" .a }}1{{ end }}` |~ "p|q"')).toEqual([
      '| json a="x|y"',
      '| label_format b=`{{ if hasPrefix "in|" .a }}1{{ end }}`',
      '|~ "p|q"',
    ]);
  });
});

describe('projectStages', () => {
  it('keeps only the assignments, captures and sources the fields need, and never the line save', () => {
    const who = projectStages(STAGE, ['who']);
    const stages = splitStages(who);
    expect(stages[0]).toBe('| pattern `<uc> <sni> <status>`');
    expect(who).toContain('line_format `{{ .uc }}`');
    expect(who).not.toContain('.sni');
    expect(who).not.toContain('__line__');
    expect(who).not.toContain('| drop');
    expect(stages.filter((s) => s.startsWith('| regexp'))).toHaveLength(1);
    expect(stages.filter((s) => s.startsWith('| label_format')).map((s) => s.split('=')[0])).toEqual(['| label_format dst', '| label_format who']);
  });

  it('drops every derived stage when only parser fields are read, and keeps everything asked for', () => {
    expect(projectStages(STAGE, ['status'])).toBe('| pattern `<uc> <sni> <status>`');
    const all = projectStages(STAGE, ['dst', 'ns', 'host', 'code', 'who']);
    expect(splitStages(all).filter((s) => s.startsWith('| regexp'))).toHaveLength(3);
    expect(all).toContain('code=`{{ .status }}`');
  });
});
