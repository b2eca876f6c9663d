import { PassThrough } from 'node:stream';
import type { CliIO } from './io';

/** In-memory process streams for running commands in tests: stdin holds `input`, output is collected. */
export function memoryIO(input?: string): { io: CliIO; out: () => string; err: () => string } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  if (input !== undefined) {
    stdin.end(input);
  }
  return { io: { stdin, stdout, stderr }, out: () => out.join(''), err: () => err.join('') };
}
