/** @jest-environment node */
import { auditLogPath, generateAudit, microTime } from './audit';
import { fileLine } from './layout';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY0 = Date.UTC(2026, 10, 24);
const run = (seed: number, start: number, durationMs: number) => [...generateAudit({ seed, start, durationMs })];

describe('the API servers audit logs (log_type="audit")', () => {
  it('writes one audit.k8s.io/v1 Event per line, as the log backend does, into each Kubernetes cluster\'s audit file', () => {
    const lines = run(7, DAY0 + 9 * HOUR, 10 * MIN);
    expect(new Set(lines.map((l) => l.file))).toEqual(new Set([auditLogPath('prod-eu'), auditLogPath('prod-us')]));
    for (const l of lines) {
      const e = JSON.parse(l.line);
      expect([e.kind, e.apiVersion, e.level, e.stage]).toEqual(['Event', 'audit.k8s.io/v1', 'Metadata', 'ResponseComplete']);
      expect(e.auditID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.stageTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(new Date(e.stageTimestamp).getTime()).toBe(l.timeMs);
      expect(new Date(e.requestReceivedTimestamp).getTime()).toBeLessThanOrEqual(l.timeMs);
      expect([e.verb, e.user.username]).toEqual([l.verb, l.username]);
      expect(e.requestURI.startsWith(`/apis/${e.objectRef.apiGroup}/${e.objectRef.apiVersion}/`)).toBe(true);
      // The API server writes the file itself: no container runtime frame.
      expect(fileLine(l)).toBe(l.line);
    }
  });

  it('has lines in every minute of each cluster, so the class is covered as a real audit log is', () => {
    const lines = run(7, DAY0, 2 * HOUR);
    for (const cluster of ['prod-eu', 'prod-us']) {
      const minutes = new Set(lines.filter((l) => l.cluster === cluster).map((l) => Math.floor(l.timeMs / MIN)));
      expect(minutes.size).toBe(120);
    }
    expect(lines.every((l) => l.cluster !== 'vm-fleet')).toBe(true);
  });

  it('logs a person\'s change to a mesh security policy every 6 hours from 03:30 UTC', () => {
    const changes = run(7, DAY0, 24 * HOUR).filter((l) => l.verb === 'patch');
    expect(changes.map((l) => `${l.cluster} ${(Math.floor(l.timeMs / MIN) * MIN - DAY0) / HOUR}h`).sort()).toEqual(
      ['prod-eu', 'prod-us'].flatMap((c) => [3.5, 9.5, 15.5, 21.5].map((h) => `${c} ${h}h`)).sort()
    );
    expect(new Set(changes.map((l) => l.username))).toEqual(new Set(['alice@example.com']));
  });

  it('is the same for the same seed, whatever the split, and in time order per file', () => {
    const whole = run(5, DAY0, 5 * MIN).map((l) => l.line);
    expect([...run(5, DAY0, 130_500), ...run(5, DAY0 + 130_500, 5 * MIN - 130_500)].map((l) => l.line)).toEqual(whole);
    expect(run(6, DAY0, 5 * MIN).some((l) => whole.includes(l.line))).toBe(false);
    const last = new Map<string, number>();
    for (const l of run(5, DAY0, 30 * MIN)) {
      expect(l.timeMs).toBeGreaterThanOrEqual(last.get(l.file) ?? 0);
      last.set(l.file, l.timeMs);
    }
  });

  it('writes metav1.MicroTime: six fraction digits, UTC', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 60), 7)).toBe('2026-01-02T03:04:05.060007Z');
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05.000000Z');
  });
});
