import type { ControlDefinition } from './controls/types';

/**
 * The organisation's logging policy (DESIGN.md, "The logging policy"): the same object lives in a
 * YAML file and in the data source's provisioned jsonData.
 */

/** A class of logs with its own retention requirement, selected by Loki label matchers. */
export interface LogClass {
  name: string;
  /** Label matchers as a map of label -> exact value; escaped by the LogQL builder. */
  selector: Record<string, string>;
  /** Required retention in days. */
  retentionDays: number;
}

export interface ControlThresholds {
  /** CC6.7: minimum share of requests with mTLS in strict namespaces (0..1). */
  minMtlsShare: number;
  /** CC7.2: maximum 5xx share before a service counts as anomalous (0..1). */
  maxErrorShare: number;
  /** CC7.2, CC4.1: a required service silent for longer than this many minutes is a logging gap. */
  maxSilenceMinutes: number;
  /** A1.2: minimum share of a service's HTTP responses that are not server errors (0..1). */
  minAvailability: number;
  /** A1.1: maximum share of a service's HTTP responses turned away for capacity, 429 or 503 (0..1). */
  maxUnavailableShare: number;
}

export interface LoggingPolicy {
  logClasses: LogClass[];
  /** Namespaces where mTLS must be STRICT (CC6.7). */
  strictMtlsNamespaces: string[];
  /** Services that must ship access logs (CC7.2 coverage). */
  requiredServices: string[];
  /**
   * CC6.8: per callee service, the caller workloads allowed to call it. Services not listed are not
   * restricted; an empty map leaves CC6.8 out of scope.
   */
  allowedCallers: Record<string, string[]>;
  thresholds: ControlThresholds;
  /** Audit window length in days (SOC 2 Type 2 observation period). */
  auditWindowDays: number;
  /** The organisation's own controls beside the catalog's (share and count kinds; controls/custom.ts). */
  controls: ControlDefinition[];
}

export const DEFAULT_POLICY: LoggingPolicy = {
  logClasses: [
    { name: 'mesh-access', selector: { log_type: 'access' }, retentionDays: 365 },
    { name: 'mesh-audit', selector: { log_type: 'audit' }, retentionDays: 400 },
  ],
  strictMtlsNamespaces: [],
  requiredServices: [],
  allowedCallers: {},
  thresholds: { minMtlsShare: 1, maxErrorShare: 0.05, maxSilenceMinutes: 60, minAvailability: 0.99, maxUnavailableShare: 0.01 },
  auditWindowDays: 90,
  controls: [],
};
