/**
 * Deterministic JSON for checked-in files: keys sorted at every level, two-space indent,
 * trailing newline. Sorting makes the output independent of builder call order, so the drift
 * test only fails on real changes. Functions (cog's `_implementsDataqueryVariant` marker) and
 * undefined values are dropped, as JSON.stringify does.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined && typeof child !== 'function') {
        sorted[key] = sortKeys(child);
      }
    }
    return sorted;
  }
  return value;
}

export function toStableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}
