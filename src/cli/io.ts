import type { Readable, Writable } from 'node:stream';

/** The process streams a command uses, injectable so tests run commands in memory. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** Thrown for bad usage; main prints the message and exits with status 2. */
export class UsageError extends Error {}
