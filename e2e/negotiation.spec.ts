// Perfect negotiation (client/negotiation.ts) when the signaling path loses a renegotiation's
// offer or answer, then a side restarts ICE, as a link does when its network goes away in
// the middle of one (a call starting, a screen share, the media m-lines every link adds when
// a call starts in the room). Two RTCPeerConnections in one page (e2e/pages/negotiation-lab.ts), so
// what is lost, and when, is the test's choice and not the network's timing.

import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build } from 'esbuild';
import { expect, sharedTest as test } from './support/fixtures.ts';
import type { NegotiationLab, SideName } from './support/negotiation-lab-types.ts';

const labEntry = fileURLToPath(new URL('./pages/negotiation-lab.ts', import.meta.url));

let labScript: Promise<string> | null = null;
function bundleLab(): Promise<string> {
  labScript ??= build({
    entryPoints: [labEntry],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return labScript;
}

function labOf(page: Page) {
  const call = <K extends keyof NegotiationLab>(
    method: K,
    ...args: Parameters<NegotiationLab[K]>
  ): Promise<ReturnType<NegotiationLab[K]>> =>
    page.evaluate(
      ([m, a]) => {
        const lab = (globalThis as unknown as { negotiationLab: Record<string, (...x: unknown[]) => unknown> })
          .negotiationLab;
        return lab[m as string]?.(...(a as unknown[])) as never;
      },
      [method, args] as const,
    ) as Promise<ReturnType<NegotiationLab[K]>>;
  return call;
}

async function openLab(page: Page): Promise<ReturnType<typeof labOf>> {
  await page.evaluate(await bundleLab());
  const lab = labOf(page);
  await lab('start');
  await expect.poll(async () => (await lab('state', 'a')).channelState, { message: 'the link opens' }).toBe('open');
  await expect.poll(async () => (await lab('state', 'b')).channelState).toBe('open');
  return lab;
}

/**
 * How a side adds media: both transceivers at once, as the first offerer does once a call is
 * on in the room (prepareMedia), or one video track by addTrack, as a first screen share
 * next to the camera does (the only renegotiation the polite side starts).
 */
type Media = 'transceivers' | 'track';
const mediaLines: Record<Media, number> = { transceivers: 2, track: 1 };

/** Both sides stable on the same m-lines, both channels open, nothing failed, and text still flows both ways. */
async function expectSettled(lab: ReturnType<typeof labOf>, label: string, media: Media): Promise<void> {
  const agreed = async () => {
    const [a, b] = [await lab('state', 'a'), await lab('state', 'b')];
    return {
      stable: [a.signalingState, b.signalingState],
      connected: [a.connectionState, b.connectionState],
      open: [a.channelState, b.channelState],
      aLocalIsBRemote: a.localMids.join(' ') === b.remoteMids.join(' ') && a.localUfrag === b.remoteUfrag,
      bLocalIsARemote: b.localMids.join(' ') === a.remoteMids.join(' ') && b.localUfrag === a.remoteUfrag,
      mLines: a.localMids.length,
      transceivers: [a.transceivers, b.transceivers],
      failures: [...a.failures, ...b.failures],
    };
  };
  await expect.poll(agreed, { message: `${label}: both sides agree again`, timeout: 20_000 }).toEqual({
    stable: ['stable', 'stable'],
    connected: ['connected', 'connected'],
    open: ['open', 'open'],
    aLocalIsBRemote: true,
    bLocalIsARemote: true,
    // The data channel's m-line and the media ones, each once: none added twice.
    mLines: 1 + mediaLines[media],
    transceivers: [mediaLines[media], mediaLines[media]],
    failures: [],
  });
  await lab('send', 'a', `${label}: from a`);
  await lab('send', 'b', `${label}: from b`);
  await expect.poll(async () => (await lab('state', 'b')).received).toContain(`${label}: from a`);
  await expect.poll(async () => (await lab('state', 'a')).received).toContain(`${label}: from b`);
}

test.describe('a renegotiation cut short by lost signals, then an ICE restart', () => {
  test('recovers on the same m-lines whichever signal was lost and whoever restarts', async ({ browsers }) => {
    const page = await (await browsers.newContext({ label: 'lab' })).newPage();
    const cases: { name: string; adds: SideName; media: Media; lost: 'offer' | 'answer'; restarts: SideName[] }[] = [
      { name: 'answer lost, the offerer restarts', adds: 'a', media: 'transceivers', lost: 'answer', restarts: ['a'] },
      { name: 'offer lost, the offerer restarts', adds: 'a', media: 'transceivers', lost: 'offer', restarts: ['a'] },
      { name: 'answer lost, both restart', adds: 'a', media: 'transceivers', lost: 'answer', restarts: ['b', 'a'] },
      {
        name: 'answer lost, the polite side offered and restarts',
        adds: 'b',
        media: 'track',
        lost: 'answer',
        restarts: ['b'],
      },
      {
        name: 'answer lost, the polite side offered, the other restarts',
        adds: 'b',
        media: 'track',
        lost: 'answer',
        restarts: ['a'],
      },
      {
        name: 'offer lost, the polite side offered, both restart',
        adds: 'b',
        media: 'track',
        lost: 'offer',
        restarts: ['a', 'b'],
      },
    ];
    for (const { name, adds, media, lost, restarts } of cases) {
      await test.step(name, async () => {
        const lab = await openLab(page);
        const peer: SideName = adds === 'a' ? 'b' : 'a';
        // The offer goes out (lost or not); with the answer lost, the peer has applied the
        // offer and answered, and stands on the new m-lines while the offerer waits.
        await lab('cutPipe', lost === 'offer' ? adds : peer, true);
        await lab(media === 'transceivers' ? 'prepareMedia' : 'addTrack', adds);
        await expect.poll(async () => (await lab('state', adds)).signalingState).toBe('have-local-offer');
        if (lost === 'answer') {
          await expect
            .poll(async () => {
              const state = await lab('state', peer);
              return [state.signalingState, state.localMids.length];
            })
            .toEqual(['stable', 1 + mediaLines[media]]);
        }
        await lab('cutPipe', lost === 'offer' ? adds : peer, false);
        for (const side of restarts) await lab('restartIce', side);
        await expectSettled(lab, name, media);
      });
    }
  });
});

test('an answer that arrives after a restart replaced its offer is not taken for the answer to the restart', async ({
  browsers,
}) => {
  const page = await (await browsers.newContext({ label: 'lab' })).newPage();
  const lab = await openLab(page);
  // b's signals are slow: its answer to a's media offer is still on its way when a restarts
  // ICE (a re-offers, with new credentials); then both answers arrive, the old one first.
  await lab('holdPipe', 'b');
  await lab('prepareMedia', 'a');
  await expect
    .poll(async () => {
      const state = await lab('state', 'b');
      return [state.signalingState, state.localMids.length];
    })
    .toEqual(['stable', 3]);
  const before = await lab('state', 'b');
  await lab('restartIce', 'a');
  // b answers the restart with new credentials of its own.
  await expect.poll(async () => (await lab('state', 'b')).localUfrag).not.toBe(before.localUfrag);
  await lab('releasePipe', 'b');
  await expectSettled(lab, 'a late answer', 'transceivers');
});
