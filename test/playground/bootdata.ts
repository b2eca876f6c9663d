// Must be the playground's first import: @grafana/runtime reads window.grafanaBootData when it is evaluated.
const params = new URLSearchParams(window.location.search);
const theme = params.get('theme') === 'light' ? 'light' : 'dark';

Object.assign(window, {
  grafanaBootData: {
    settings: { buildInfo: { version: '13.1.1-playground' }, featureToggles: {} },
    user: { theme, locale: 'en-US' },
    navTree: [],
    assets: { dark: '', light: '' },
  },
  __grafana_public_path__: '/public/',
});

export const playgroundTheme: 'dark' | 'light' = theme;
