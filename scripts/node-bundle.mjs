// Node cannot run the project's TypeScript directly: these helpers bundle an entry with esbuild
// into one CommonJS file, to ship (CLI, loggen) or to run once (generators, benchmarks).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

export const root = resolve(new URL('..', import.meta.url).pathname);

/** Bundles `entry` (relative to the repository root) into `outfile` for Node 20. */
export async function bundleForNode(entry, outfile, extra = {}) {
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    ...extra,
  });
}

/** Bundles `entry` to a temporary file, runs it from the repository root with `args`; returns its exit status. */
export async function runTypeScript(entry, args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-audit-'));
  try {
    const outfile = join(dir, basename(entry).replace(/\.ts$/, '.cjs'));
    await bundleForNode(entry, outfile);
    return spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit', cwd: root }).status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
