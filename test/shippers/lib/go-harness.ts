/**
 * The real Promtail stage code, through test/shippers/promtail-harness (Go). Built once per test
 * run when a Go toolchain can fetch the Loki module; otherwise the callers skip with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HARNESS_DIR = join(__dirname, '..', 'promtail-harness');

export interface HarnessResult {
  dropped: boolean;
  line?: string;
  labels?: Record<string, string>;
  timestamp?: string;
}

let built: { binary?: string; reason?: string } | undefined;

/** Path of the built harness, or the reason it is unavailable. */
export function promtailHarness(): { binary?: string; reason?: string } {
  if (built) {
    return built;
  }
  if (process.env.MESH_AUDIT_SKIP_GO_HARNESS === '1') {
    built = { reason: 'MESH_AUDIT_SKIP_GO_HARNESS=1' };
    return built;
  }
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    built = { reason: 'no Go toolchain on PATH (the real-Promtail cross-check needs `go`)' };
    return built;
  }
  const binary = join(mkdtempSync(join(tmpdir(), 'promtail-harness-')), 'promtail-harness');
  const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: HARNESS_DIR, encoding: 'utf8', timeout: 900_000 });
  built = build.status === 0 ? { binary } : { reason: `go build of the harness failed (module download?): ${(build.stderr || '').slice(0, 400)}` };
  return built;
}

export function runHarness(binary: string, configPath: string, jobName: string, entries: Array<{ line: string; labels: Record<string, string> }>): HarnessResult[] {
  const stdin = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const out = execFileSync(binary, [configPath, jobName], { input: stdin, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as HarnessResult);
}
