// `npm run dashboards`: runs dashboards-src/generate.ts to write dashboards/*.json
// (`-- --check`: only report files that differ, exit 1).
import { root, runTypeScript } from './node-bundle.mjs';

process.exitCode = await runTypeScript('dashboards-src/generate.ts', [root, ...process.argv.slice(2)]);
