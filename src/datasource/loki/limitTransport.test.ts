/** @jest-environment node */
import type { LokiRequest } from '../../core/loki/types';
import { limitTransport } from './limitTransport';

describe('limitTransport', () => {
  it('keeps at most N requests in flight and answers every one in order of arrival', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: string[] = [];
    const inner = {
      request: async (req: LokiRequest) => {
        started.push(req.path);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return { status: 200, body: req.path };
      },
    };
    const limited = limitTransport(inner, 3);
    const paths = Array.from({ length: 10 }, (_, i) => `/loki/api/v1/q${i}`);
    const answers = await Promise.all(paths.map((path) => limited.request({ path, params: {} })));
    expect(answers.map((a) => a.body)).toEqual(paths);
    expect(peak).toBe(3);
    expect(started).toEqual(paths);
  });

  it('frees the slot when a request fails', async () => {
    const limited = limitTransport({ request: async () => Promise.reject(new Error('boom')) }, 1);
    await expect(limited.request({ path: '/a', params: {} })).rejects.toThrow('boom');
    await expect(limited.request({ path: '/b', params: {} })).rejects.toThrow('boom');
  });
});
