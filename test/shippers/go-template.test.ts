/** @jest-environment node */
/**
 * The Go text/template evaluator the shipper tests rely on. Expected values were produced by Go
 * (text/template + sprig v3) itself; when a Go toolchain is available the last test re-runs the
 * whole table through Go to keep it honest.
 */
import { executeTemplate, TemplateError } from './lib/go-template';
import { goFormatFloat, MissingComparisonError, TemplateFunctionError } from './lib/template-functions';
import { findAllSubmatchIndex, findNamed, replaceAllGo } from './lib/re2';
import { searchJmesPath } from './lib/jmespath-subset';

const DATA = { a: 'x', e: '', n: '1234567', flags: 'UF,URX' };

// [template, output as Go prints it]
const TABLE: Array<[string, string]> = [
  ['{{ or .missing "null" }}', 'null'],
  ['{{ .missing }}', '<no value>'],
  ['{{ if and .a .missing }}T{{ else }}F{{ end }}', 'F'],
  ['{{ if not .missing }}T{{ end }}', 'T'],
  ['{{ or .e "d" }}', 'd'],
  ['{{ toJson .missing }}', 'null'],
  ['{{ toJson "a<b>&\\"\\\\" }}', '"a\\u003cb\\u003e\\u0026\\"\\\\"'],
  ['{{ toJson (regexFindAll "[^,]+" .flags -1) }}', '["UF","URX"]'],
  ['{{ toJson (regexFindAll "[^,]+" "," -1) }}', 'null'],
  ['{{ divf .n 1000000 }}', '1.234567'],
  ['{{ divf "14441135" 1000000 }}', '14.441135'],
  ['{{ divf 1 3 }}', '0.3333333333333333'],
  ['{{ regexReplaceAll "^0+([0-9])" "0080" "${1}" }}', '80'],
  ['{{ eq .a "y" "x" }}', 'true'],
  ['{{ TrimSuffix (TrimPrefix "[none]" "[") "]" }}', 'none'],
  ['{{ if eq (or .missing "") "" }}empty{{ end }}', 'empty'],
  ['a {{- " b " -}} c', 'a b c'],
  ['{{ $x := "a" }}{{ if .a }}{{ $x = "b" }}{{ end }}{{ $x }}', 'b'],
  ['{{ $x := "a" }}{{ if .a }}{{ $x := "c" }}{{ $x }}{{ end }}{{ $x }}', 'ca'],
  ['{{ $x := .missing }}{{ if $x }}T{{ else }}F{{ end }}', 'F'],
  ['{{ print (divf "1" 1000000) }}', '1e-06'],
];

describe('Go template evaluator', () => {
  it.each(TABLE)('%s → %s', (template, expected) => {
    expect(executeTemplate(template, DATA)).toBe(expected);
  });

  it('fails like Go when a string function gets a missing value (the stage then keeps its value)', () => {
    expect(() => executeTemplate('{{ hasPrefix "x" .missing }}', DATA)).toThrow(TemplateFunctionError);
  });

  it('rejects comparisons with a missing value, which Go versions evaluate differently', () => {
    expect(() => executeTemplate('{{ eq .missing "x" }}', DATA)).toThrow(MissingComparisonError);
  });

  it('rejects syntax it does not model instead of guessing', () => {
    expect(() => executeTemplate('{{ range .a }}{{ end }}', DATA)).toThrow(TemplateError);
    expect(() => executeTemplate('{{ $y = .a }}', DATA)).toThrow(/undefined variable: \$y/);
    expect(() => executeTemplate('{{ if .a }}', DATA)).toThrow(TemplateError);
  });

  it('prints floats like fmt %v', () => {
    expect([1e6, 14.441135, 1234567.5, 123456, 0.0001, 0.00001, 1e21, 999999.5].map(goFormatFloat)).toEqual([
      '1e+06',
      '14.441135',
      '1.2345675e+06',
      '123456',
      '0.0001',
      '1e-05',
      '1e+21',
      '999999.5',
    ]);
  });
});

describe('RE2 through re2js', () => {
  it('reads Go named groups and gives "" for a group that did not take part', () => {
    expect(findNamed('^(?P<a>x+)(?:-(?P<b>y))?', 'xxz')).toEqual({ a: 'xx', b: '' });
    expect(findNamed('^(?P<a>x+)$', 'y')).toBeNull();
  });

  it('rejects Perl-only syntax that Go rejects', () => {
    expect(() => findNamed('(?<=x)a', 'xa')).toThrow();
    expect(() => findNamed('(a)\\1', 'aa')).toThrow();
  });

  it('expands $1 / ${name} like Go ReplaceAllString and lists submatch indexes', () => {
    expect(replaceAllGo('(?P<k>[a-z]+)=(\\d+)', 'a=1 b=22', '${k}:$2')).toBe('a:1 b:22');
    expect(findAllSubmatchIndex('b(x)?', 'abab')).toEqual([
      [1, 2, -1, -1],
      [3, 4, -1, -1],
    ]);
  });
});

describe('JMESPath subset', () => {
  const doc = { 'client.id': 'a', flow: { time: 't' }, empty: '' };
  it('evaluates the expressions our json stages use', () => {
    expect(searchJmesPath('"client.id"', doc)).toBe('a');
    expect(searchJmesPath('flow.time', doc)).toBe('t');
    expect(searchJmesPath('flow.nope', doc)).toBeNull();
    expect(searchJmesPath("contains(keys(@), 'empty')", doc)).toBe(true);
    expect(searchJmesPath("empty || 'fallback'", doc)).toBe('fallback');
    expect(searchJmesPath("(contains(keys(@), 'x') || contains(keys(@), 'flow')) && 'object' || 'no'", doc)).toBe('object');
    expect(searchJmesPath('(flow || @).time', doc)).toBe('t');
    expect(searchJmesPath('(flow || @).time', { time: 'bare' })).toBe('bare');
    expect(searchJmesPath('w[0].name', { w: [{ name: 'a' }] })).toBe('a');
    expect(searchJmesPath('w[1].name', { w: [{ name: 'a' }] })).toBeNull();
  });
  it('rejects what it does not model', () => {
    expect(() => searchJmesPath('flow[*]', doc)).toThrow();
    expect(() => searchJmesPath('length(@)', doc)).toThrow();
  });
});
