// `npm run dashboards`: bundles dashboards-src/generate.ts with esbuild (TypeScript, JSON
// imports, the foundation SDK) and runs it with node to write dashboards/*.json
// (`-- --check`: only report files that differ, exit 1).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = mkdtempSync(join(tmpdir(), 'mesh-audit-dashboards-'));
try {
  const outfile = join(out, 'generate.cjs');
  await build({
    entryPoints: [join(root, 'dashboards-src', 'generate.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  const { status } = spawnSync(process.execPath, [outfile, root, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
  });
  process.exitCode = status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
