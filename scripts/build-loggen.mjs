// `npm run build:loggen`: bundles loggen/main.ts into dist-loggen/loggen.cjs, which the compose
// `loggen` service runs with plain node (no TypeScript tooling in the container).
import { join } from 'node:path';
import { bundleForNode, root } from './node-bundle.mjs';

await bundleForNode('loggen/main.ts', join(root, 'dist-loggen/loggen.cjs'));
console.log('built dist-loggen/loggen.cjs');
