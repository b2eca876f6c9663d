/**
 * One shipper pipeline, written once, in promtail.k8s.yaml between its shared-pipeline markers.
 * The other three configs hold generated copies between the same markers: promtail.yaml verbatim
 * (after its own label derivation from loggen's layout), kubernetes.alloy and config.alloy as the
 * equivalent Alloy stage blocks. The drift test in test/as-code notices a hand edit of a copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alloyStagesFromPromtail } from './alloyPipeline';
import type { GeneratedFile } from './outputs';

export const PIPELINE_SOURCE = 'provisioning/promtail/promtail.k8s.yaml';
export const PIPELINE_JOB = 'mesh-access-pods';
const PROMTAIL = { begin: '# ---- BEGIN shared pipeline', end: '# ---- END shared pipeline' };
const ALLOY = { begin: '// ---- BEGIN shared pipeline', end: '// ---- END shared pipeline' };
const COPIES = [
  { copy: 'provisioning/promtail/promtail.yaml', ...PROMTAIL },
  { copy: 'provisioning/alloy/kubernetes.alloy', ...ALLOY },
  { copy: 'provisioning/alloy/config.alloy', ...ALLOY },
];

/** The lines from the one starting with `begin` to the one starting with `end`, both included. */
export function markedBlock(text: string, begin: string, end: string, file: string): { start: number; stop: number } {
  const lines = text.split('\n');
  const find = (marker: string) => {
    const at = lines.map((l) => l.trimStart().startsWith(marker)).reduce<number[]>((acc, hit, i) => (hit ? [...acc, i] : acc), []);
    if (at.length !== 1) {
      throw new Error(`${file}: expected exactly one line starting with "${marker}", found ${at.length}`);
    }
    return at[0];
  };
  const startLine = find(begin);
  const endLine = find(end);
  if (endLine < startLine) {
    throw new Error(`${file}: "${end}" comes before "${begin}"`);
  }
  const offset = (line: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  return { start: offset(startLine), stop: offset(endLine + 1) };
}

/** Replaces the marked block of `copyText` (markers included) with `block`. */
export function spliceBlock(copyText: string, block: string, markers: { begin: string; end: string }, file: string): string {
  const to = markedBlock(copyText, markers.begin, markers.end, file);
  return copyText.slice(0, to.start) + block + copyText.slice(to.stop);
}

export function renderSharedPipelines(root: string): GeneratedFile[] {
  const source = readFileSync(join(root, PIPELINE_SOURCE), 'utf8');
  const promtailBlock = ((at) => source.slice(at.start, at.stop))(markedBlock(source, PROMTAIL.begin, PROMTAIL.end, PIPELINE_SOURCE));
  const alloyBlock = alloyStagesFromPromtail(source, PIPELINE_JOB);
  return COPIES.map((c) => ({
    path: c.copy,
    content: spliceBlock(readFileSync(join(root, c.copy), 'utf8'), c.begin.startsWith('#') ? promtailBlock : alloyBlock, c, c.copy),
  }));
}
