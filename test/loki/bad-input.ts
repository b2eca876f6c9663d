/**
 * Bad input on the real path: a tenant that holds nothing, and a Loki data source that sends no
 * tenant to a multi-tenant Loki (401 "no org id"). The data source must say so plainly; no
 * control may pass on evidence it could not see.
 */
import type { BackendSrv } from '@grafana/runtime';
import type { DataFrame } from '@grafana/data';
import { CONTROL_CATALOG } from '../../src/core/controls';
import { lastValueFrom } from 'rxjs';
import { column, dataSource, frameNamed, framesOf, liveCase, queryRequest, TARGETS } from './conformance';
import { POLICY } from './policy';

export const EMPTY_TENANT = 'conformance-empty';
/** The tenants of the two cases, keyed by the Loki data source uid each Mesh Audit data source uses. */
export const BAD_INPUT_UIDS = { empty: 'loki-empty', noTenant: 'loki-no-tenant' } as const;
export const BAD_INPUT_TENANTS = { [BAD_INPUT_UIDS.empty]: EMPTY_TENANT, [BAD_INPUT_UIDS.noTenant]: '' };

export interface BadInputAnswers {
  emptyTopology: DataFrame[];
  emptyControls: DataFrame[];
  noTenantError: string;
}

export async function askBadInput(backendSrv: BackendSrv): Promise<BadInputAnswers> {
  const empty = dataSource('normalized', backendSrv, POLICY, BAD_INPUT_UIDS.empty);
  const noTenant = dataSource('normalized', backendSrv, POLICY, BAD_INPUT_UIDS.noTenant);
  const response = await lastValueFrom(noTenant.query(queryRequest(TARGETS.topology)));
  return {
    emptyTopology: await framesOf(empty, TARGETS.topology),
    emptyControls: await framesOf(empty, TARGETS.controls),
    noTenantError: (response.errors ?? []).map((e) => e.message).join('; '),
  };
}

export function describeBadInput(answers: () => BadInputAnswers | Error | undefined, skip: string | null): void {
  const { test, answers: a } = liveCase(answers, skip, 'the bad-input cases were not run');
  describe('bad input on the real path', () => {
    test('a tenant with no data draws no edge and no control on lines passes; coverage, continuity and retention fail, since nothing logged', () => {
      expect(column(frameNamed(a().emptyTopology, 'edges'), 'id')).toEqual([]);
      const controls = frameNamed(a().emptyControls, 'controls');
      const silentFails = (kind: string) => kind === 'coverage' || kind === 'continuity';
      // Disposal rests on Loki's configuration alone, which holds for an empty tenant too.
      const expected = (c: (typeof CONTROL_CATALOG)[number]) =>
        c.evidence.kind === 'retention' ? (c.evidence.aspect === 'kept' ? 'fail' : 'pass') : silentFails(c.evidence.kind) ? 'fail' : 'no-evidence';
      expect(column(controls, 'status')).toEqual(CONTROL_CATALOG.map(expected));
      const classes = POLICY.logClasses.length;
      expect(column(controls, 'evidence_count')).toEqual(CONTROL_CATALOG.map((c) => (c.evidence.kind === 'retention' ? classes : 0)));
    });

    test("a Loki data source without a tenant gets Loki's 401 explained, not a crash", () => {
      expect(a().noTenantError).toMatch(/no tenant was sent.*X-Scope-OrgID/);
    });
  });
}
