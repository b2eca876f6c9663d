/**
 * A line damaged in many ways: truncated, a character dropped, a blank inserted, a character
 * replaced by `x`, `-` or `"` (a quote is what breaks field splitting most often).
 */
export function damaged(line: string, pieces = 25): string[] {
  const out = new Set<string>();
  const step = Math.max(1, Math.floor(line.length / pieces));
  for (let i = 1; i < line.length; i += step) {
    out.add(line.slice(0, i));
    out.add(line.slice(0, i) + line.slice(i + 1));
    out.add(line.slice(0, i) + ' ' + line.slice(i));
    for (const c of ['x', '-', '"']) {
      out.add(line.slice(0, i) + c + line.slice(i + 1));
    }
  }
  out.delete(line);
  return [...out];
}

