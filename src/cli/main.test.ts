/** @jest-environment node */
import { run } from './main';
import { memoryIO } from './memoryIO';
import { VERSION } from '../core/version';

describe('mesh-audit CLI', () => {
  it('prints the version', async () => {
    const m = memoryIO();
    expect(await run(['--version'], m.io)).toBe(0);
    expect(m.out()).toBe(`${VERSION}\n`);
  });

  it('prints help with no arguments and with --help', async () => {
    for (const argv of [[], ['--help'], ['-h']]) {
      const m = memoryIO();
      expect(await run(argv, m.io)).toBe(0);
      expect(m.out()).toContain('Usage: mesh-audit <command> [options]');
    }
  });

  it('rejects an unknown command with status 2 and a usage hint', async () => {
    const m = memoryIO();
    expect(await run(['frobnicate'], m.io)).toBe(2);
    expect(m.err()).toContain('unknown command "frobnicate"');
    expect(m.out()).toBe('');
  });

  it('rejects an unknown option with status 2', async () => {
    const m = memoryIO();
    expect(await run(['--nope'], m.io)).toBe(2);
    expect(m.err()).toMatch(/Unknown option '--nope'/);
  });
});
