// Builds the panel playground (test/playground) with esbuild and serves it on 127.0.0.1.
// Used by the browser tests and by `npm run playground` for a person to look at the panels.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { readFile, copyFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
export const outdir = join(root, 'test/playground/public');
const iconsDir = join(root, 'node_modules/@grafana/ui/dist/public/img/icons');

export async function buildPlayground() {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { playground: join(root, 'test/playground/index.tsx') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    outdir,
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    // @grafana/ui pulls monaco's CSS, which references a font file.
    // policy.example.yaml is bundled as text for the demo (test/playground/demo/browser.ts).
    loader: { '.ttf': 'file', '.woff2': 'file', '.svg': 'text', '.yaml': 'text' },
    logLevel: 'warning',
  });
  await copyFile(join(root, 'test/playground/index.html'), join(outdir, 'index.html'));
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.ttf': 'font/ttf' };

/** Serves the built playground; @grafana/ui's <Icon> fetches its SVGs from public/build/img/icons/. */
export function servePlayground(port = 0) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const iconPrefix = '/public/build/img/icons/';
    const file = path.startsWith(iconPrefix)
      ? join(iconsDir, normalize(path.slice(iconPrefix.length)).replace(/^(\.\.[/\\])+/, ''))
      : join(outdir, normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, ''));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolveServer) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      resolveServer({ url: `http://127.0.0.1:${bound}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

async function main() {
  const started = Date.now();
  await buildPlayground();
  console.log(`playground built in ${Date.now() - started} ms -> ${outdir}`);
  if (process.argv.includes('--serve')) {
    const { url } = await servePlayground(Number(process.env.PORT ?? 3300));
    console.log(`open ${url}/?panel=topology&demo=1 or ${url}/?dashboard=mesh-audit-overview (Ctrl-C to stop)`);
  }
}

// The browser tests start this script with PORT=0 and read the URL from its "open ..." line.
if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
