// `npm run build:loggen`: bundles loggen/main.ts into dist-loggen/loggen.cjs, which the compose
// `loggen` service runs with plain node (no TypeScript tooling in the container).
import { build } from 'esbuild';

const outfile = 'dist-loggen/loggen.cjs';
await build({
  entryPoints: ['loggen/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
});
console.log(`built ${outfile}`);
