/**
 * report.html printed to PDF by a headless Chromium the user already has (CHROMIUM_PATH, else
 * Debian's /usr/bin/chromium): the project ships no browser. The flags keep Chromium off the
 * network and away from a GPU.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function printToPdf(htmlFile: string, pdfFile: string, chromium = chromiumPath()): Promise<void> {
  if (!existsSync(chromium)) {
    return Promise.reject(new Error(`no Chromium at ${chromium} to print the PDF: install it or set CHROMIUM_PATH (report.html is written; print it from any browser)`));
  }
  return new Promise((resolve, reject) => {
    execFile(chromium, [...CHROMIUM_FLAGS, '--no-pdf-header-footer', `--print-to-pdf=${pdfFile}`, pathToFileURL(htmlFile).href], { timeout: 120_000 }, (error, _out, stderr) => {
      if (error || !existsSync(pdfFile)) {
        reject(new Error(`Chromium could not print ${htmlFile}: ${error?.message ?? stderr}`));
        return;
      }
      resolve();
    });
  });
}
