// A smoke run of the browser benchmark through its own modules (bench/browser), so that
// `npm run bench` cannot rot: mesh_ms(2) for roomlink and the bare page once, 20 messages of
// latency and a burst of 100. It checks that every message arrived, not how fast.
import { createBrowserBenchEnv } from '../bench/browser/env.ts';
import { measureMeshOnce } from '../bench/browser/mesh.ts';
import { measureMessaging } from '../bench/browser/messaging.ts';
import { expect, test } from './support/fixtures.ts';

test('the browser benchmark measures a mesh of two, latency and a burst', async ({ netns, server, browsers }) => {
  const env = await createBrowserBenchEnv({ netns, server, browsers });
  try {
    for (const flavor of ['app', 'bare'] as const) {
      const mesh = await measureMeshOnce(env, flavor, 2);
      expect(mesh.deliveries, `${flavor}: both users heard each other`).toBe(2);
      expect(mesh.ms).toBeGreaterThan(0);
    }
    const { latency, burst } = await measureMessaging(env, 'app', { latency: 20, burst: 100 });
    expect(latency?.received).toBe(20);
    expect(latency?.summary.p50).toBeGreaterThanOrEqual(0);
    expect(burst?.received).toBe(100);
    expect(burst?.lost).toBe(0);
    expect(burst?.duplicates).toBe(0);
  } finally {
    await env.close();
  }
});
