// A smoke run of the browser benchmark through its own modules (bench/browser), so that
// `npm run bench` cannot rot: mesh_ms(2) for roomlink and the bare page once, 20 messages of
// latency (20 more between bare pages that draw each line, and 20 with each browser pinned
// to a core of its own) and a burst of 100, the stages of 20 lines on roomlink's page, a
// second of an idle room of two, a call of two on roomlink's page (the bench's own
// fake-media browsers; the bare call page is the bench's alone), and a long chat of 50 lines
// with both pages' heaps read after each 25 (the bench sends 15 bursts of 2,000; this checks
// the readings are taken, and every line drawn is CPU that the suite, CPU-bound on two
// cores, waits for). It checks that every message arrived, was stamped at
// each stage, the idle and heap figures were read, and every frame was shown, not how fast.
// Every part has rooms of its own (the pinned and call parts browsers of their own too), so
// the parts run in two lanes side by side, and both flavors of a part at once: one after
// another they took 59-66 s beside other tests' browsers, 53-55 s this way (all eleven at
// once: 44-66 s, the machine's two cores then the limit). Each part's figures are read under
// the other lane's load, which a smoke run does not look at.
import { measureCallOnce } from '../bench/browser/calls.ts';
import { createBrowserBenchEnv } from '../bench/browser/env.ts';
import { measureIdleOnce } from '../bench/browser/idle.ts';
import { measureLongOnce } from '../bench/browser/long.ts';
import { measureMeshOnce } from '../bench/browser/mesh.ts';
import { measureDrawingBareLatency, measureMessaging, measurePinnedLatency } from '../bench/browser/messaging.ts';
import type { Flavor } from '../bench/browser/room.ts';
import { measureStages } from '../bench/browser/stages.ts';
import { expect, test } from './support/fixtures.ts';

const flavors: readonly Flavor[] = ['app', 'bare'];

/**
 * Waits for every part, then fails with the first part's error: no part is still using the
 * bench's relay or browsers when they are closed.
 */
async function allParts(parts: readonly Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(parts);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

test('the browser benchmark measures a mesh of two, latency, a burst, an idle room, a call of two and a long chat', async ({
  netns,
  server,
  browsers,
}) => {
  // 33 s alone (the call starts two fake-media browsers per flavor); room for a loaded suite.
  test.setTimeout(150_000);
  const env = await createBrowserBenchEnv({ netns, server, browsers });
  try {
    await allParts([
      // The parts on the test's browser, one room (or both flavors' rooms) at a time.
      (async () => {
        await allParts(
          flavors.map(async (flavor) => {
            const mesh = await measureMeshOnce(env, flavor, 2);
            expect(mesh.deliveries, `${flavor}: both users heard each other`).toBe(2);
            expect(mesh.ms).toBeGreaterThan(0);
          }),
        );
        const { latency, burst } = await measureMessaging(env, 'app', { latency: 20, burst: 100 });
        expect(latency?.received).toBe(20);
        expect(latency?.summary.p50).toBeGreaterThanOrEqual(0);
        expect(burst?.received).toBe(100);
        expect(burst?.lost).toBe(0);
        expect(burst?.duplicates).toBe(0);
        const drawing = await measureDrawingBareLatency(env, 20);
        expect(drawing.received, 'the bare page that draws each line recorded every one, drawn first').toBe(20);
        const stages = await measureStages(env, 'app', 20);
        expect(stages.lines, 'every line stamped at the send call and around the receiving listener').toBe(20);
        for (const stage of [stages.send, stages.channel, stages.handler, stages.toPage])
          expect(stage).toBeGreaterThanOrEqual(0);
        await allParts(
          flavors.map(async (flavor) => {
            const idle = await measureIdleOnce(env, flavor, 2, { settleMs: 200, measureMs: 1_000 });
            expect(idle, `${flavor}: the idle room of two formed`).not.toBeNull();
            for (const figure of [idle?.machineMs, idle?.mainThreadMs, idle?.layoutsPerMinute])
              expect(Number.isFinite(figure) && (figure ?? -1) >= 0, `${flavor}: ${JSON.stringify(idle)}`).toBe(true);
            // Our page's heartbeat runs every second: its main thread is never idle for one.
            if (flavor === 'app') expect(idle?.mainThreadMs).toBeGreaterThan(0);
          }),
        );
      })(),
      // The parts with browsers of their own.
      (async () => {
        const pinned = await measurePinnedLatency(env, 'app', 20);
        expect(pinned.received, 'each browser pinned to a core of its own, every line arrived').toBe(20);
        // The call on roomlink's page only: the bare call page's run cost the suite ~16 of this
        // test's 79 CPU-s (two more fake-media browsers in a call); `npm run bench` runs it.
        const call = await measureCallOnce(env, 'app', 2, null);
        expect(call.firstFrameMs, `the joiner shows the other's video`).toBeGreaterThan(0);
        expect(call.seenByAllMs, `the other shows the joiner's video`).toBeGreaterThan(0);
        await allParts(
          flavors.map(async (flavor) => {
            const long = await measureLongOnce(env, flavor, 2, 25);
            expect(long?.received, `${flavor}: every line of the long chat arrived`).toBe(50);
            for (const side of [long?.sender, long?.receiver]) {
              expect(side?.map((reading) => reading.lines)).toEqual([0, 25, 50]);
              for (const reading of side ?? []) expect(reading.heapMb * reading.domNodes).toBeGreaterThan(0);
            }
          }),
        );
      })(),
    ]);
  } finally {
    await env.close();
  }
});
