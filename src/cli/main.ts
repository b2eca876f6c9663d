import { parseArgs } from 'node:util';
import { VERSION } from '../core/version';
import { UsageError, type CliIO } from './io';

/** A subcommand: parses its own arguments and returns the exit status. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

const COMMANDS: Command[] = [];

/** Subcommands register themselves here from src/cli/commands/. */
export function registerCommand(command: Command): void {
  COMMANDS.push(command);
}

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  const lines = [
    'mesh-audit — service-mesh access logs to topology, SOC 2 evidence and retention coverage',
    '',
    'Usage: mesh-audit <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help (or a command\'s help: mesh-audit <command> --help)',
    '  -v, --version  print the version',
  ];
  return lines.join('\n') + '\n';
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === first);
  try {
    if (command) {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
        return 0;
      }
      return await command.run(rest, io);
    }
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
      allowPositionals: true,
    });
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (values.help || argv.length === 0) {
      io.stdout.write(helpText());
      return 0;
    }
    throw new UsageError(`unknown command "${positionals[0]}"`);
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr.write(`mesh-audit: ${error.message}\nRun "mesh-audit --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

/** Our own usage errors and node:util parseArgs rejections (codes ERR_PARSE_ARGS_*). */
function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) {
    return true;
  }
  // Checked by shape: errors thrown by node built-ins come from another realm under Jest.
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof message === 'string' && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
