/** Loading our Promtail configs and their pipelines. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expandEnv } from './envsubst';
import type { Stage } from './promtail-pipeline';

export const PROMTAIL_DIR = join(__dirname, '..', '..', '..', 'provisioning', 'promtail');

export interface ScrapeJob {
  job_name: string;
  pipeline_stages: Stage[];
  static_configs?: Array<{ targets: string[]; labels: Record<string, string> }>;
  kubernetes_sd_configs?: unknown[];
  relabel_configs?: Array<Record<string, unknown>>;
}

export interface PromtailConfig {
  clients: Array<Record<string, unknown>>;
  scrape_configs: ScrapeJob[];
  [key: string]: unknown;
}

export function promtailText(file: string): string {
  return readFileSync(join(PROMTAIL_DIR, file), 'utf8');
}

/** The file as written, `${...}` references unexpanded: for checking where values come from. */
export function loadPromtailRaw(file: string): PromtailConfig {
  // maxAliasCount -1: our configs reuse one template through YAML aliases many times.
  return parse(promtailText(file), { maxAliasCount: -1 }) as PromtailConfig;
}

/**
 * The config as Promtail reads it: both our files are documented to run with
 * -config.expand-env=true, which expands the whole text before YAML parsing.
 */
export function loadPromtail(file: string, env: Record<string, string> = {}): PromtailConfig {
  return parse(expandEnv(promtailText(file), env), { maxAliasCount: -1 }) as PromtailConfig;
}

export function job(config: PromtailConfig, name: string): ScrapeJob {
  const found = config.scrape_configs.find((j) => j.job_name === name);
  if (!found) {
    throw new Error(`no scrape job ${name}`);
  }
  return found;
}

/**
 * The redaction stages of a pipeline, in order: each `replace` stage, also when `match` stages
 * (nested or not) guard it with line filters (so it runs only on lines that can hold what it masks).
 */
export function isRedaction(stage: Stage): boolean {
  if ('replace' in stage) {
    return true;
  }
  const nested = (stage.match as { stages?: Stage[] } | undefined)?.stages;
  return Array.isArray(nested) && nested.length > 0 && nested.every(isRedaction);
}

export function redactionStagesOf(stages: Stage[]): Stage[] {
  return stages.filter(isRedaction);
}
