import React, { useState } from 'react';
import { Field, Input } from '@grafana/ui';
import type { NumberParse } from './policyForm';

interface Props {
  label: string;
  description?: string;
  value: string;
  parse: (text: string) => NumberParse;
  onValid: (value: number) => void;
  suffix?: string;
  testId?: string;
}

/** A number input that keeps what was typed and only reports valid values; invalid text shows why. */
export function NumberField({ label, description, value, parse, onValid, suffix, testId }: Props) {
  const [text, setText] = useState(value);
  // A new value from outside (e.g. defaults reloaded) replaces what was typed, unless it is the
  // value of what was typed ("0.0" on the way to "0.05" must survive).
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    const typed = parse(text);
    const incoming = parse(value);
    if (!(typed.ok && incoming.ok && typed.value === incoming.value)) {
      setText(value);
    }
  }
  const parsed = parse(text);
  return (
    <Field label={label} description={description} invalid={!parsed.ok} error={parsed.ok ? undefined : parsed.error}>
      <Input
        width={16}
        value={text}
        suffix={suffix}
        data-testid={testId}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          const p = parse(next);
          if (p.ok) {
            onValid(p.value);
          }
        }}
      />
    </Field>
  );
}
