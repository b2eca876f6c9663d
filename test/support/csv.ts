/** Records after the header of an RFC 4180 CSV: quoted cells may hold line breaks, so lines are not records. */
export function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') {
      quoted = !quoted;
    } else if (c === '\n' && !quoted) {
      records += 1;
    }
  }
  return records - 1;
}
