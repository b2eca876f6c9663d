/**
 * The shape of a SOC 2 control in the catalog: data only. The query builders
 * (src/core/queries/controls.ts) turn `evidence` and `evidenceLogs` into LogQL; `evaluateControl`
 * compares the measured value with `pass`.
 */
import type { FieldFilter, NumericField, StringField } from '../queries/field-filter';
import type { ControlThresholds } from '../policy';

/** Trust Services Criteria this catalog draws on (AICPA TSP section 100, 2017). */
export type Criterion = 'CC4.1' | 'CC6.1' | 'CC6.3' | 'CC6.6' | 'CC6.7' | 'CC6.8' | 'CC7.1' | 'CC7.2' | 'A1.1' | 'A1.2' | 'C1.1' | 'C1.2';

/**
 * How the measured value is computed over access logs in the evaluation window:
 * - `share`: requests matching `match` among requests matching `scope` (0..1). With `groupBy`,
 *   the share is computed per group and reduced (`max`/`min`) to one number.
 * - `count`: requests matching `match`; 0 when there was traffic but no match, no value when
 *   there was no traffic at all, or none in `scope` when it is given (no evidence).
 * - `coverage`: share of the values in a policy list (e.g. required services) that logged at
 *   least one request in the last `window` minutes (a policy threshold); 0 when none did.
 * - `continuity`: over the whole range, cut into buckets of `bucketMinutes` (a policy threshold)
 *   aligned to multiples of it: the share of (instance of a listed value, whole bucket) pairs in
 *   which it logged; an instance is a (cluster, namespace, value) seen in the range, and a listed
 *   value seen nowhere counts as one instance silent throughout. No whole bucket is no evidence.
 */
export type ControlEvidence =
  | { kind: 'share'; match: readonly FieldFilter[]; scope: readonly FieldFilter[]; groupBy?: ReadonlyArray<StringField | NumericField>; reduce?: 'max' | 'min' }
  | { kind: 'count'; match: readonly FieldFilter[]; scope?: readonly FieldFilter[] }
  | {
      kind: 'coverage';
      field: StringField;
      list: 'requiredServices';
      windowMinutes: keyof ControlThresholds;
      /** Which lines count as the service logging (e.g. only its own proxy's reports). */
      reportedBy?: readonly FieldFilter[];
    }
  /**
   * Judged from Loki's index and configuration per policy log class (retention/), not from lines:
   * `kept`, every class held as long as the policy requires; `disposed`, Loki deletes every class
   * after a finite period.
   */
  | { kind: 'retention'; aspect: 'kept' | 'disposed' }
  /** Findings of each service against its own baseline over the window (evidence/anomalies.ts): how many. */
  | { kind: 'anomalies' }
  /**
   * Edges (cluster, caller, callee, as the logs name them) with requests in the range and none in
   * the `baselineDays` before it: how many. No line at all in the baseline is no evidence.
   */
  | { kind: 'new-edges'; baselineDays: number }
  | {
      kind: 'continuity';
      field: 'dst_service';
      list: 'requiredServices';
      bucketMinutes: keyof ControlThresholds;
      reportedBy?: readonly FieldFilter[];
    };

/** A threshold taken from the policy (`LoggingPolicy.thresholds`) or fixed in the catalog. */
export type ThresholdRef = { policy: keyof ControlThresholds } | { value: number };

/** Pass when measured >= threshold (`atLeast`) or measured <= threshold (`atMost`). */
export type PassCondition = { atLeast: ThresholdRef } | { atMost: ThresholdRef };

export interface ControlDefinition {
  /** Stable id, `<criterion>-<slug>`, used in URLs, alert rule uids and the CLI. */
  id: string;
  /** A Trust Services Criterion: one of `Criterion` in the catalog, any (checked) in a policy's own controls. */
  criterion: Criterion | (string & {});
  title: string;
  /** What the control shows an auditor, and what pass means. */
  description: string;
  /** What is measured, as a sentence for tables and reports (unit included). */
  measure: string;
  evidence: ControlEvidence;
  pass: PassCondition;
  /**
   * Filters for the log lines behind the status: the population an auditor samples. Retention
   * controls rest on no lines (their evidence is the class table), and have none.
   */
  evidenceLogs: readonly FieldFilter[];
}

export type ControlStatus = 'pass' | 'fail' | 'no-evidence';
