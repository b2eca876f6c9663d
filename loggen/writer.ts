/**
 * Appends generated lines to their files under the output root, and keeps a small state file so
 * a restarted `--follow` resumes where it stopped instead of writing the backfill twice.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditLine } from './audit';
import type { GeneratedLine } from './generate';
import { fileLine } from './layout';

export const BACKFILL_MARKER = '.backfill-done';
const STATE_FILE = '.loggen-state.json';

export class LogWriter {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  /** Writes a batch; lines of one file keep their order. Returns how many lines were written. */
  write(lines: Iterable<GeneratedLine | AuditLine>): number {
    const byFile = new Map<string, string[]>();
    let count = 0;
    for (const l of lines) {
      let batch = byFile.get(l.file);
      if (!batch) {
        batch = [];
        byFile.set(l.file, batch);
      }
      batch.push(fileLine(l));
      count++;
    }
    for (const [file, batch] of byFile) {
      const path = join(this.root, file);
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, batch.join('\n') + '\n');
    }
    return count;
  }

  /** Where a previous run with this seed stopped, if it left a state file. */
  resumeFrom(seed: number): number | null {
    const path = join(this.root, STATE_FILE);
    if (!existsSync(path)) {
      return null;
    }
    try {
      const state = JSON.parse(readFileSync(path, 'utf8'));
      return state.seed === seed && Number.isFinite(state.cursorMs) ? state.cursorMs : null;
    } catch {
      return null;
    }
  }

  saveCursor(seed: number, cursorMs: number): void {
    writeFileSync(join(this.root, STATE_FILE), JSON.stringify({ seed, cursorMs }) + '\n');
  }

  markBackfillDone(): void {
    writeFileSync(join(this.root, BACKFILL_MARKER), new Date().toISOString() + '\n');
  }
}
