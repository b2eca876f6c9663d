import { collectPageErrors, expect, mountPanel, test, type Theme } from './playground';

const PANELS = [
  { panel: 'topology', testId: 'topology-panel-empty', title: 'No mesh traffic to draw' },
  { panel: 'controls', testId: 'controls-panel-empty', title: 'No control evaluations' },
  { panel: 'retention', testId: 'retention-panel-empty', title: 'No retention coverage' },
];
const THEMES: Theme[] = ['dark', 'light'];
// Grafana's body background per theme (GlobalStyles paints theme.colors.background.canvas).
const CANVAS: Record<Theme, string> = { dark: 'rgb(17, 18, 23)', light: 'rgb(251, 251, 251)' };

for (const theme of THEMES) {
  for (const { panel, testId, title } of PANELS) {
    test(`${panel} panel shows its empty state in the ${theme} theme`, async ({ page, playgroundUrl }) => {
      const errors = collectPageErrors(page);
      await mountPanel(page, playgroundUrl, theme, { panel, frames: [] });

      const empty = page.getByTestId(testId);
      await expect(empty).toBeVisible();
      await expect(empty).toContainText(title);
      await expect(empty).toContainText(/query type/);
      // The panel sits inside a real PanelChrome and the page wears Grafana's theme.
      await expect(page.locator('body')).toHaveCSS('background-color', CANVAS[theme]);
      const box = await empty.boundingBox();
      expect(box?.width).toBeGreaterThan(100);

      await page.getByTestId('playground-stage').screenshot({ path: `test/artifacts/${panel}-empty-${theme}.png` });
      expect(errors).toEqual([]);
    });
  }
}
