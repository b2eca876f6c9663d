import type { GrafanaTheme2 } from '@grafana/data';
import type { Palette } from './render';

/** The drawing's colours from the Grafana theme, so that light and dark both read as Grafana. */
export function paletteOf(theme: GrafanaTheme2): Palette {
  const c = (name: string) => theme.visualization.getColorByName(name);
  return {
    background: theme.colors.background.primary,
    box: {
      platform: { fill: theme.colors.background.secondary, stroke: theme.colors.border.strong },
      cluster: { fill: theme.colors.background.canvas, stroke: theme.colors.border.medium },
      namespace: { fill: theme.colors.background.primary, stroke: theme.colors.border.weak },
    },
    text: theme.colors.text.primary,
    textWeak: theme.colors.text.secondary,
    mtls: { mtls: c('green'), plaintext: c('red'), unknown: theme.colors.text.disabled, partial: c('orange') },
    health: { ok: c('green'), warning: c('yellow'), critical: c('red'), idle: theme.colors.text.disabled },
    cross: c('blue'),
    selection: theme.colors.primary.main,
    fontFamily: theme.typography.fontFamily,
  };
}
