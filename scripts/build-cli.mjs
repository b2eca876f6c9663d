// Bundles the mesh-audit command line (src/cli) into one CommonJS file for package.json "bin".
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForNode, root } from './node-bundle.mjs';

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist-cli/mesh-audit.cjs');
await bundleForNode('src/cli/bin.ts', outfile, {
  banner: { js: '#!/usr/bin/env node' },
  define: { __MESH_AUDIT_VERSION__: JSON.stringify(version) },
});
chmodSync(outfile, 0o755);
console.log('built dist-cli/mesh-audit.cjs');
