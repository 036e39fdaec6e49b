// The flood of issue 11's channel kinds, for chat-signals-flood.spec.ts (which checks the
// caps) and the flood benchmark (bench/browser/flood.ts, which times the victim): Alice,
// instrumented (hostile-member.ts's victimScript), writes lines; Mallory, whose page keeps
// its data channels, floods typing, reactions (one by one and in react:sync messages full
// of changes), read receipts, history lines nobody asked for, and junk on her channel to
// Alice.

import type { BrowserPool } from './browser.ts';
import { victimScript } from './hostile-member.ts';
import { openUser, sendMessage, shareLink, type User, waitForMesh, waitForMessages } from './users.ts';

/** Lines Alice writes for Mallory to react to: 6 emoji each, far more pairs than the cap. */
export const SIGNAL_FLOOD_LINES = 20;
/** How long Mallory floods, unless Alice cuts her off first. */
export const SIGNAL_FLOOD_MS = 3_000;
/** react:sync messages at the flood's start (the link budget's burst), each with every change. */
const SYNCS = 4;
/** Unsolicited history: chunks of the most lines a chunk may hold. */
const HISTORY_CHUNKS = 2;
const HISTORY_CHUNK_LINES = 50;
/** History lines the flood sends that Alice never asked for. */
export const UNASKED_HISTORY_LINES = HISTORY_CHUNKS * HISTORY_CHUNK_LINES;

/** In Mallory's page, before its script: keeps every data channel it creates. */
function keepChannels(): void {
  const scope = globalThis as unknown as {
    __channels: unknown[];
    RTCPeerConnection: { prototype: { createDataChannel(...args: unknown[]): unknown } };
  };
  scope.__channels = [];
  const original = scope.RTCPeerConnection.prototype.createDataChannel;
  scope.RTCPeerConnection.prototype.createDataChannel = function (this: unknown, ...args: unknown[]) {
    const channel = original.apply(this, args);
    scope.__channels.push(channel);
    return channel;
  };
}

/**
 * Mallory's flood, on her open channel to Alice: every kind, valid and not, for floodMs. It
 * opens with what the link budget lets through at once of the kinds that carry many items:
 * react:sync messages, each with a change to every line and emoji, and history lines Alice
 * never asked for (from an author who never was in the room, so none would need a key).
 * Plain JavaScript: the e2e tsconfig has no DOM types.
 */
const floodScript = `async ({ author, ids, floodMs, syncs, historyChunks, chunkLines }) => {
  const channel = window.__channels.find((c) => c.readyState === 'open');
  if (!channel) throw new Error('no open channel');
  const emoji = ['👍', '❤️', '😂', '😮', '😢', '🎉'];
  const junk = ['{', '{"t":"react"}', JSON.stringify({ t: 'react', author, id: ids[0], emoji: '💩', on: true, ts: 1 })];
  let count = 0;
  // Mallory signs her reactions with her own per-join key (kept in sessionStorage), as
  // identity.ts does: unsigned ones would be dropped before the cap is even tested.
  const stored = Object.keys(sessionStorage).find((key) => key.startsWith('roomlink:signing:'));
  if (!stored) throw new Error('no signing key in this tab');
  const privateKey = await crypto.subtle.importKey('jwk', JSON.parse(sessionStorage.getItem(stored)).privateKey,
    { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const self = window.roomlink.selfId();
  const ts = Date.now();
  const sign = async (id, e) => {
    const signed = JSON.stringify(['roomlink/1 reaction', self, author, id, e, true, ts]);
    const bytes = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey,
      new TextEncoder().encode(signed)));
    return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  };
  const everyChange = await Promise.all(ids.flatMap((id) =>
    emoji.map(async (e) => ({ author, id, emoji: e, on: true, ts, sig: await sign(id, e) }))));
  const reactMessages = new Map(everyChange.map((c) => [c.id + c.emoji, JSON.stringify({ t: 'react', ...c })]));
  for (let i = 0; i < syncs; i++) channel.send(JSON.stringify({ t: 'react:sync', reactions: everyChange }));
  for (let chunk = 0; chunk < historyChunks; chunk++) {
    const lines = Array.from({ length: chunkLines }, (_, i) => {
      const n = String(chunk * chunkLines + i).padStart(4, '0');
      return { from: 'neverhere01', name: 'nobody', id: 'unasked' + n + 'xyz', ts: Date.now() - 60000, text: 'unasked history ' + n };
    });
    channel.send(JSON.stringify({ t: 'history:lines', lines, done: chunk === historyChunks - 1 }));
  }
  count += syncs + historyChunks;
  let typing = false;
  const end = performance.now() + floodMs;
  // Until the time is up, or until Alice cuts the link off (her budget for a flooder).
  while (performance.now() < end && channel.readyState === 'open') {
    for (const id of ids) {
      if (channel.readyState !== 'open') break;
      for (const e of emoji) channel.send(reactMessages.get(id + e));
      typing = !typing;
      channel.send(JSON.stringify({ t: 'typing', active: typing }));
      channel.send(JSON.stringify({ t: 'receipt:read', ids: Array(256).fill(id) }));
      for (const text of junk) channel.send(text);
      count += 11;
    }
    if (channel.readyState !== 'open') break;
    channel.send('x'.repeat(40000));
    count += 1;
    // Not past a close: a closed channel keeps its bufferedAmount, and the wait never ended
    // when Alice cut Mallory off with more than 1 MB queued (a clean clone under load, 4.5 min).
    while (channel.bufferedAmount > 1000000 && channel.readyState === 'open') {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return count;
}`;

export interface SignalFloodRoom {
  /** Instrumented with victimScript. */
  readonly alice: User;
  /** Keeps her data channels, to flood on them. */
  readonly mallory: User;
  /** The ids of Alice's lines, as Mallory's page shows them. */
  readonly ids: readonly string[];
}

/** Alice and Mallory in a new room at `serverUrl`; Alice has written the lines to react to. */
export async function openSignalFloodRoom(browsers: BrowserPool, serverUrl: string): Promise<SignalFloodRoom> {
  const aliceContext = await browsers.newContext({ label: 'alice' });
  await aliceContext.addInitScript(victimScript);
  const alice = await openUser(aliceContext, `${serverUrl}/`, 'alice');
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(keepChannels);
  const mallory = await openUser(malloryContext, await shareLink(alice.page), 'mallory');
  await waitForMesh([alice, mallory]);

  const texts = Array.from({ length: SIGNAL_FLOOD_LINES }, (_, i) => `line ${i} to react to`);
  for (const text of texts) await sendMessage(alice.page, text);
  await waitForMessages(
    mallory.page,
    texts.map((text) => ({ from: alice.id, text })),
  );
  const ids = await mallory.page
    .locator(`[data-testid=message][data-kind=chat][data-from="${alice.id}"]`)
    .evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { id: string } }).dataset.id));
  return { alice, mallory, ids };
}

/** Runs Mallory's flood on her channel to Alice; resolves with the messages sent once it ends. */
export async function floodSignals(room: SignalFloodRoom, floodMs = SIGNAL_FLOOD_MS): Promise<number> {
  const options = {
    author: room.alice.id,
    ids: room.ids,
    floodMs,
    syncs: SYNCS,
    historyChunks: HISTORY_CHUNKS,
    chunkLines: HISTORY_CHUNK_LINES,
  };
  return (await room.mallory.page.evaluate(`(${floodScript})(${JSON.stringify(options)})`)) as number;
}
