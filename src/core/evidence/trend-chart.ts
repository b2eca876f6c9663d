/**
 * A control's trend as a small inline SVG for the printable report: one point per bucket, the
 * pass threshold as a dashed line, the axis labelled with the range it spans. No script, no
 * external resource: the report prints and archives as one file.
 */
import type { ControlTrends } from './trend';

const W = 360;
const H = 64;
const PAD = 4;

const label = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(3))));
const clock = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The chart of one control, or null when it has no bucket with a value. */
export function trendSvg(
  points: ControlTrends['points'][string],
  threshold: number | undefined,
  title: string
): string | null {
  const valued = points.filter(
    (p): p is { endMs: number; value: number } => p.value !== null && Number.isFinite(p.value)
  );
  if (valued.length === 0) {
    return null;
  }
  const values = [...valued.map((p) => p.value), ...(threshold === undefined ? [] : [threshold])];
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values, lo + 1e-9);
  const x = (i: number) => PAD + (points.length === 1 ? 0 : (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => H - PAD - ((v - lo) * (H - 2 * PAD)) / (hi - lo);
  const path = points
    .map((p, i) =>
      p.value === null || !Number.isFinite(p.value) ? null : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`
    )
    .filter((p): p is string => p !== null)
    .join(' ');
  const limit =
    threshold === undefined
      ? ''
      : `<line x1="${PAD}" x2="${W - PAD}" y1="${y(threshold).toFixed(1)}" y2="${y(threshold).toFixed(1)}" stroke="#b00" stroke-dasharray="4 3"/>`;
  return (
    `<figure class="trend"><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}">` +
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fafafa" stroke="#ccc"/>${limit}` +
    `<polyline fill="none" stroke="#1f60c4" stroke-width="1.5" points="${path}"/></svg>` +
    `<figcaption>${label(lo)}–${label(hi)}${threshold === undefined ? '' : `, threshold ${label(threshold)} (dashed)`}; ${points.length} buckets, ${clock(points[0].endMs)} – ${clock(points[points.length - 1].endMs)} UTC</figcaption></figure>`
  );
}
