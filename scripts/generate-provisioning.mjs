// `npm run generate:provisioning [-- --check]`: bundles provisioning/generate/main.ts with esbuild
// (Node cannot run TypeScript directly) and runs it from the repository root.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = mkdtempSync(join(tmpdir(), 'mesh-audit-generate-'));
try {
  const outfile = join(out, 'generate.cjs');
  await build({
    entryPoints: [join(root, 'provisioning/generate/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  const { status } = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  process.exitCode = status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
