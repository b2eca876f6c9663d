// `npm run generate:provisioning [-- --check]`: runs provisioning/generate/main.ts from the repository root.
import { runTypeScript } from './node-bundle.mjs';

process.exitCode = await runTypeScript('provisioning/generate/main.ts', process.argv.slice(2));
