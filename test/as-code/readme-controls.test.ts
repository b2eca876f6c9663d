/** @jest-environment node */
import { CONTROL_CATALOG } from '../../src/core/controls';
import { readText } from './support';

describe('README', () => {
  it('lists every control of the catalog once in its SOC 2 controls table', () => {
    const section = readText('README.md').split('## SOC 2 controls')[1].split('\n## ')[0];
    const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual(CONTROL_CATALOG.map((c) => c.id).sort());
  });
});
