// Whose a tab's state is (client/tab-claim.ts), between pages on real BroadcastChannels (Node
// has them): a duplicated tab learns from the live original that its ticket is a copy and
// forgets it; a reload knows from what its page before said as it went, without asking; a
// tab whose page crashed hears nobody and keeps its ticket; two copies asking at once do not
// take each other for the original. And what forgetting takes (storage.ts forgetTab).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgetTab } from '../../client/storage.ts';
import { claimTab, firstLook, TAB_CHANNEL, type TabClaimOptions } from '../../client/tab-claim.ts';

const ROOM = 'room-aaaaaaaaaaaaaaaaa';
const ALICE = 'alice-peer-1';
/** A short wait for an answer: the tests that hear none wait it out (no clock is checked). */
const WAIT_MS = 30;
/**
 * The wait of a page that must hear an answer: it ends when the answer comes. 30 ms was once
 * too short for the original's answer in a clean clone's unit phase beside other work
 * ('own' for 'copy').
 */
const ANSWERED_WAIT_MS = 5_000;

/** A page of the profile: its channel, and what it holds (closed after the test). */
function page(t: { after(fn: () => void): void }, holds: string | undefined, leftId: string | null = null) {
  const channel = new BroadcastChannel(TAB_CHANNEL);
  t.after(() => channel.close());
  const sent: unknown[] = [];
  const post = channel.postMessage.bind(channel);
  const state = { holds, forgotten: 0 };
  const options: TabClaimOptions = {
    roomId: ROOM,
    ticketId: holds,
    leftId,
    holding: () => state.holds,
    forget() {
      state.forgotten += 1;
      state.holds = undefined;
    },
    channel: {
      postMessage(message) {
        sent.push(message);
        post(message);
      },
      addEventListener: (type, listener) => channel.addEventListener(type, (event) => listener(event as MessageEvent)),
    },
    waitMs: WAIT_MS,
  };
  return { options, state, sent, claim: () => claimTab(options) };
}

test('what a page knows without asking: no ticket, or a ticket its page before said it held', () => {
  assert.equal(firstLook(undefined, null), 'fresh');
  assert.equal(firstLook(undefined, ALICE), 'fresh');
  assert.equal(firstLook(ALICE, ALICE), 'own');
  assert.equal(firstLook(ALICE, null), 'ask');
  assert.equal(firstLook(ALICE, 'someone-else'), 'ask');
});

test('a duplicate hears the live original, and forgets what it copied; the original goes on as it was', async (t) => {
  const original = page(t, ALICE, ALICE);
  assert.equal(await original.claim(), 'own');
  assert.deepEqual(original.sent, [], 'a reload asks nobody');

  const copy = page(t, ALICE);
  copy.options.waitMs = ANSWERED_WAIT_MS;
  assert.equal(await copy.claim(), 'copy');
  assert.equal(copy.state.forgotten, 1);
  assert.equal(original.state.forgotten, 0);
  assert.equal(original.state.holds, ALICE);
  // The copy, now a member of its own, does not answer for the id it dropped: a second
  // duplicate of the original hears the original only (and once).
  const second = page(t, ALICE);
  second.options.waitMs = ANSWERED_WAIT_MS;
  const answers: unknown[] = [];
  const listen = new BroadcastChannel(TAB_CHANNEL);
  t.after(() => listen.close());
  listen.addEventListener('message', (event) => {
    if ((event as MessageEvent).data?.t === 'mine') answers.push((event as MessageEvent).data);
  });
  assert.equal(await second.claim(), 'copy');
  await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  assert.equal(answers.length, 1, 'one answer, the original’s');
});

test('nobody answering (the page before crashed, or the browser restored the tab), the ticket is its own', async (t) => {
  const restored = page(t, ALICE);
  assert.equal(await restored.claim(), 'own');
  assert.equal(restored.state.forgotten, 0);
  assert.equal(restored.sent.length, 1, 'it asked once');
});

test('two copies asking at once do not take each other for the original', async (t) => {
  const [one, two] = [page(t, ALICE), page(t, ALICE)];
  assert.deepEqual(await Promise.all([one.claim(), two.claim()]), ['own', 'own']);
});

test('a page answers only for the room and the peer id it holds', async (t) => {
  const bob = page(t, 'bob-peer-2', 'bob-peer-2');
  await bob.claim();
  const elsewhere = page(t, ALICE, ALICE);
  elsewhere.options.roomId = 'room-bbbbbbbbbbbbbbbbb';
  await elsewhere.claim();
  const asking = page(t, ALICE);
  assert.equal(await asking.claim(), 'own', 'Bob holds another id, the other page another room');
  // Nor does anything that is no question of ours draw an answer or break the page.
  const junk = new BroadcastChannel(TAB_CHANNEL);
  t.after(() => junk.close());
  for (const data of [null, 'who', { t: 'who', room: ROOM }, { t: 'who', room: ROOM, id: 'bob-peer-2', ask: 7 }]) {
    junk.postMessage(data);
  }
  await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  assert.deepEqual(
    [...bob.sent, ...elsewhere.sent].filter((m) => (m as { t: string }).t === 'mine'),
    [],
  );
});

test('a page still asking its own question is silent for the id it has', async (t) => {
  const still = page(t, ALICE);
  still.options.waitMs = 10 * WAIT_MS;
  const pending = still.claim();
  const other = page(t, ALICE);
  assert.equal(await other.claim(), 'own');
  assert.equal(await pending, 'own');
  assert.equal(still.sent.length, 1, 'its own question only');
});

test('without a channel (no BroadcastChannel), a ticket is taken as the tab’s own', async () => {
  const forgets: string[] = [];
  const state = await claimTab({
    roomId: ROOM,
    ticketId: ALICE,
    leftId: null,
    holding: () => ALICE,
    forget: () => forgets.push('x'),
    channel: null,
  });
  assert.equal(state, 'own');
  assert.deepEqual(forgets, []);
});

test('forgetting takes everything the tab keeps for that room, and nothing else', () => {
  const kept = new Map<string, string>([
    [`roomlink:resume:${ROOM}`, '{}'],
    [`roomlink:signing:${ROOM}`, '{}'],
    [`roomlink:private:${ROOM}`, '{}'],
    [`roomlink:files:${ROOM}`, '[]'],
    [`roomlink:sent:${ROOM}`, '[]'],
    [`roomlink:left:${ROOM}`, ALICE],
    ['roomlink:resume:room-bbbbbbbbbbbbbbbbb', '{}'],
    ['roomlink:name', 'Alice'],
    [`something-else:${ROOM}`, 'x'],
  ]);
  const storage = {
    get length() {
      return kept.size;
    },
    key: (i: number) => [...kept.keys()][i] ?? null,
    removeItem: (key: string) => void kept.delete(key),
  };
  forgetTab(ROOM, storage);
  assert.deepEqual(
    [...kept.keys()],
    ['roomlink:resume:room-bbbbbbbbbbbbbbbbb', 'roomlink:name', `something-else:${ROOM}`],
  );
  forgetTab(ROOM, null); // no storage (a privacy mode): nothing to do, nothing thrown
});
