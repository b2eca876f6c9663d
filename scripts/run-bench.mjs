// `npm run bench [name]`: runs each bench/*.bench.ts (or those whose name contains `name`), one after another.
// Benchmarks print figures and ratios; they never fail on speed (shared machines are noisy).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, runTypeScript } from './node-bundle.mjs';

const only = process.argv[2];
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  failed += (await runTypeScript(`bench/${file}`)) === 0 ? 0 : 1;
}
process.exitCode = failed ? 1 : 0;
