/**
 * `npm run generate:provisioning` writes the generated provisioning files;
 * `npm run generate:provisioning -- --check` only reports files that differ (exit 1), for CI.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateProvisioning } from './outputs';

const root = resolve(process.argv.find((a) => a.startsWith('--root='))?.slice('--root='.length) ?? process.cwd());
const check = process.argv.includes('--check');

try {
  const stale: string[] = [];
  for (const file of generateProvisioning(root)) {
    const target = join(root, file.path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === file.content) {
      continue;
    }
    if (check) {
      stale.push(file.path);
    } else {
      writeFileSync(target, file.content);
      console.log(`wrote ${file.path}`);
    }
  }
  if (stale.length > 0) {
    console.error(`out of date (run npm run generate:provisioning): ${stale.join(', ')}`);
    process.exitCode = 1;
  }
} catch (e) {
  console.error(`generate:provisioning: ${(e as Error).message}`);
  process.exitCode = 1;
}
