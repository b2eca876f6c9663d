/**
 * One way for a playground harness to show a component outside Grafana: in a container of its own
 * (made at the first mount, reused after), inside the playground's Grafana theme and global styles.
 */
import { playgroundTheme } from './bootdata';
import React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createTheme } from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';

const theme = createTheme({ colors: { mode: playgroundTheme } });
const roots = new Map<string, Root>();

export function mountThemed(containerId: string, element: React.ReactElement): void {
  let root = roots.get(containerId);
  if (!root) {
    const container = document.createElement('div');
    container.id = containerId;
    document.body.appendChild(container);
    root = createRoot(container);
    roots.set(containerId, root);
  }
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      {element}
    </ThemeContext.Provider>
  );
}
