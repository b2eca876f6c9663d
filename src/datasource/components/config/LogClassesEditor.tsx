import React, { useState } from 'react';
import { Button, Field, IconButton, Input, Stack, TagsInput } from '@grafana/ui';
import type { LogClass } from '../../../core/policy';
import { NumberField } from './NumberField';
import { parseBoundedNumber, selectorToTags, tagsToSelector } from './policyForm';

interface Props {
  classes: LogClass[];
  onChange: (classes: LogClass[]) => void;
}

function SelectorTags({ selector, onChange }: { selector: Record<string, string>; onChange: (s: Record<string, string>) => void }) {
  const [error, setError] = useState<string | undefined>();
  return (
    <Field label="Selector" description="Loki label matchers, one label=value per tag" invalid={!!error} error={error}>
      <TagsInput
        tags={selectorToTags(selector)}
        placeholder="log_type=access"
        onChange={(tags) => {
          const parsed = tagsToSelector(tags);
          setError(parsed.ok ? undefined : parsed.error);
          if (parsed.ok) {
            onChange(parsed.selector);
          }
        }}
      />
    </Field>
  );
}

/** The policy's log classes: each a selector with its required retention. */
export function LogClassesEditor({ classes, onChange }: Props) {
  const update = (i: number, patch: Partial<LogClass>) => onChange(classes.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Stack direction="column" gap={1}>
      {classes.map((c, i) => (
        <Stack key={i} direction="row" gap={2} alignItems="flex-start">
          <Field label="Class name">
            <Input width={20} value={c.name} onChange={(e) => update(i, { name: e.currentTarget.value })} />
          </Field>
          <SelectorTags selector={c.selector} onChange={(selector) => update(i, { selector })} />
          <NumberField
            label="Retention"
            value={String(c.retentionDays)}
            suffix="days"
            parse={(t) => parseBoundedNumber(t, 1, 36500, true)}
            onValid={(retentionDays) => update(i, { retentionDays })}
          />
          <IconButton name="trash-alt" aria-label={`Remove log class ${c.name}`} onClick={() => onChange(classes.filter((_, j) => j !== i))} />
        </Stack>
      ))}
      <div>
        <Button
          variant="secondary"
          icon="plus"
          size="sm"
          onClick={() => onChange([...classes, { name: `class-${classes.length + 1}`, selector: { log_type: 'access' }, retentionDays: 365 }])}
        >
          Add log class
        </Button>
      </div>
    </Stack>
  );
}
