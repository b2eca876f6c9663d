// `npm run bench`: bundles each bench/*.bench.ts with esbuild and runs it with node, one after another.
// Benchmarks print figures and ratios; they never fail on speed (shared machines are noisy).
import { build } from 'esbuild';
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(new URL('..', import.meta.url).pathname);
const only = process.argv[2];
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
const out = mkdtempSync(join(tmpdir(), 'mesh-audit-bench-'));
let failed = 0;
try {
  for (const file of benches) {
    const outfile = join(out, file.replace(/\.ts$/, '.cjs'));
    await build({
      entryPoints: [join(root, 'bench', file)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      logLevel: 'warning',
    });
    console.log(`\n== ${file}`);
    const { status } = spawnSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
    failed += status === 0 ? 0 : 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
