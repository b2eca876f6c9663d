import { test as base, expect, type Page } from '@playwright/test';
import type { DataFrameDTO } from '@grafana/data';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface Mount {
  panel: string;
  frames: DataFrameDTO[];
  options?: Record<string, unknown>;
  /** A generated mesh for the topology panel (bench/topology-mesh.ts), built in the page. */
  generated?: { services: number; shape?: Record<string, number> };
  width?: number;
  height?: number;
}

export type Theme = 'dark' | 'light';

/** Opens the playground in a theme and mounts a panel with the given frames. */
export async function mountPanel(page: Page, baseUrl: string, theme: Theme, request: Mount): Promise<void> {
  await page.goto(`${baseUrl}/?theme=${theme}`);
  await page.waitForFunction(() => 'meshAuditPlayground' in window);
  await page.evaluate((r) => window.meshAuditPlayground.mount(r), request);
  await expect(page.getByTestId('playground-stage')).toBeVisible();
}

/** Fails the test on any uncaught page error or React error logged to the console. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return errors;
}

export const test = base.extend<{}, { playgroundUrl: string }>({
  playgroundUrl: [
    async ({}, use) => {
      // The same command a person runs (`npm run playground`), on a free port.
      const server = spawn(process.execPath, ['scripts/playground.mjs', '--serve'], {
        env: { ...process.env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (chunk) => {
          output += String(chunk);
          const match = /open (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) {
            resolve(match[1]);
          }
        });
        server.on('exit', (code) => reject(new Error(`playground server exited (${code}): ${output}`)));
      });
      await use(url);
      server.kill();
      await once(server, 'exit');
    },
    { scope: 'worker' },
  ],
});
export { expect };
