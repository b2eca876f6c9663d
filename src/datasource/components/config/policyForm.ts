/**
 * Pure helpers behind the policy form: turning what a person types into policy values, with a
 * message for anything that cannot be used (the form shows it; nothing is silently dropped).
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `label=value` tags <-> a selector map. */
export function selectorToTags(selector: Record<string, string>): string[] {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`);
}

export type SelectorParse = { ok: true; selector: Record<string, string> } | { ok: false; error: string };

export function tagsToSelector(tags: string[]): SelectorParse {
  const selector: Record<string, string> = {};
  for (const tag of tags) {
    const eq = tag.indexOf('=');
    if (eq <= 0) {
      return { ok: false, error: `"${tag}" is not label=value.` };
    }
    const name = tag.slice(0, eq).trim();
    const value = tag.slice(eq + 1).trim();
    if (!LABEL_NAME.test(name)) {
      return { ok: false, error: `"${name}" is not a valid Loki label name (letters, digits and _; not starting with a digit).` };
    }
    if (value === '') {
      return { ok: false, error: `"${tag}" has an empty value; a selector must match something.` };
    }
    if (name in selector) {
      return { ok: false, error: `Label "${name}" appears twice.` };
    }
    selector[name] = value;
  }
  if (Object.keys(selector).length === 0) {
    return { ok: false, error: 'A log class needs at least one label=value matcher.' };
  }
  return { ok: true, selector };
}

export type NumberParse = { ok: true; value: number } | { ok: false; error: string };

/** A number typed in a form, within bounds; `integer` for day and minute counts. */
export function parseBoundedNumber(text: string, min: number, max: number, integer = false): NumberParse {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, error: 'Enter a number.' };
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return { ok: false, error: `"${text}" is not a number.` };
  }
  if (integer && !Number.isInteger(value)) {
    return { ok: false, error: 'Enter a whole number.' };
  }
  if (value < min || value > max) {
    return { ok: false, error: `Enter a value from ${min} to ${max}.` };
  }
  return { ok: true, value };
}

/** Shares are stored 0..1 and edited as percentages. */
export const shareToPercent = (share: number) => String(Math.round(share * 10000) / 100);
export function percentToShare(text: string): NumberParse {
  const parsed = parseBoundedNumber(text, 0, 100);
  return parsed.ok ? { ok: true, value: parsed.value / 100 } : parsed;
}
