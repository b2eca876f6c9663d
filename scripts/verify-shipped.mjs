// `node scripts/verify-shipped.mjs --start T --duration D [--seed N] [--rate R]`: runs loggen/verify-shipped.ts.
import { runTypeScript } from './node-bundle.mjs';

process.exitCode = await runTypeScript('loggen/verify-shipped.ts', process.argv.slice(2));
