/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
import { liveLoki } from './backendSrv';
import { dataSource, framesOf } from './conformance';
import { LOKI_UIDS, TENANTS } from './window';
it('scratch', async () => {
  const leg = (process.env.LEG ?? 'normalized') as 'normalized' | 'raw';
  const live = liveLoki('http://127.0.0.1:3100', { [LOKI_UIDS[leg]]: TENANTS[leg] });
  const t = Date.now();
  const ds = dataSource(leg, live.backendSrv); for (const q of ['topology','topology','controls']) { try { await framesOf(ds, { queryType: q as any }); } catch (e) { console.log(String(e).slice(0, 300)); } }
  const out = [`ms ${Date.now() - t}`];
  for (const r of live.recorded) out.push(`${r.status} ${r.params.find(p => p[0]==='query')?.[1].slice(0, 150)} ${r.status !== 200 ? r.body.slice(0, 300) : ''}`);
  console.log(out.join('\n'));
}, 600000);
