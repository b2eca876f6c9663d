import React from 'react';
import { Field, FieldSet, TagsInput } from '@grafana/ui';
import type { LoggingPolicy } from '../../../core/policy';
import { LogClassesEditor } from './LogClassesEditor';
import { NumberField } from './NumberField';
import { parseBoundedNumber, percentToShare, shareToPercent } from './policyForm';

/** The thresholds that are shares (0..1), edited as percentages. */
const SHARE_THRESHOLDS: ReadonlyArray<{ key: keyof LoggingPolicy['thresholds']; label: string; description: string }> = [
  { key: 'minMtlsShare', label: 'Minimum mTLS share', description: 'In strict namespaces (CC6.7)' },
  { key: 'maxErrorShare', label: 'Maximum 5xx share', description: 'Above this a service counts as anomalous (CC7.2)' },
  { key: 'minAvailability', label: 'Minimum availability', description: "Share of each service's HTTP responses that are not 5xx (A1.2)" },
  { key: 'maxUnavailableShare', label: 'Maximum unavailable share', description: "Share of a service's HTTP responses that may be 429 or 503 (A1.1)" },
];

interface Props {
  policy: LoggingPolicy;
  onChange: (policy: LoggingPolicy) => void;
}

/** The logging policy (src/core/policy.ts) as structured fields; defaults come from DEFAULT_POLICY. */
export function PolicyEditor({ policy, onChange }: Props) {
  const set = (patch: Partial<LoggingPolicy>) => onChange({ ...policy, ...patch });
  const setThreshold = (patch: Partial<LoggingPolicy['thresholds']>) => set({ thresholds: { ...policy.thresholds, ...patch } });
  return (
    <FieldSet label="Logging policy">
      <Field label="Log classes" description="Classes of logs with their required retention (retention coverage and CC7.2)">
        <LogClassesEditor classes={policy.logClasses} onChange={(logClasses) => set({ logClasses })} />
      </Field>
      <Field label="Strict mTLS namespaces" description="Namespaces where every request must use mTLS (CC6.7)">
        <TagsInput tags={policy.strictMtlsNamespaces} placeholder="payments" onChange={(strictMtlsNamespaces) => set({ strictMtlsNamespaces })} />
      </Field>
      <Field label="Required services" description="Services that must ship access logs (CC7.2 coverage, CC4.1 continuity)">
        <TagsInput tags={policy.requiredServices} placeholder="checkout" onChange={(requiredServices) => set({ requiredServices })} />
      </Field>
      {SHARE_THRESHOLDS.map(({ key, label, description }) => (
        <NumberField
          key={key}
          label={label}
          description={description}
          value={shareToPercent(policy.thresholds[key])}
          suffix="%"
          parse={percentToShare}
          onValid={(share) => setThreshold({ [key]: share })}
        />
      ))}
      <NumberField
        label="Maximum silence"
        description="A required service silent longer than this is a logging gap (CC7.2, CC4.1)"
        value={String(policy.thresholds.maxSilenceMinutes)}
        suffix="min"
        parse={(t) => parseBoundedNumber(t, 1, 525600, true)}
        onValid={(maxSilenceMinutes) => setThreshold({ maxSilenceMinutes })}
      />
      <NumberField
        label="Audit window"
        description="SOC 2 Type 2 observation period"
        value={String(policy.auditWindowDays)}
        suffix="days"
        parse={(t) => parseBoundedNumber(t, 1, 3650, true)}
        onValid={(auditWindowDays) => set({ auditWindowDays })}
      />
    </FieldSet>
  );
}
