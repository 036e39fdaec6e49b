// Private lines outlive a reload of the tab (features/private-kept.ts): kept as they read now
// (edited, gone when deleted), the newest 100, each conversation its share, and given back
// once under the same peer id; what the store holds is read as untrusted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import {
  createPrivateKeeper,
  keptPrivateLines,
  MAX_KEPT_PRIVATE,
  type PrivateStore,
  restoredLine,
} from '../../client/features/private-kept.ts';

const ME = 'me-000000001';
const BOB = 'bob-00000001';
const CAROL = 'carol-000001';

/** The tab's sessionStorage for them, as storage.ts keeps it: JSON in, JSON out. */
function tabStore(initial: unknown = null): PrivateStore & { raw(): unknown } {
  let raw = JSON.stringify(initial);
  return {
    load: () => JSON.parse(raw),
    save: (saved) => {
      raw = JSON.stringify(saved);
    },
    raw: () => JSON.parse(raw),
  };
}

const line = (id: string, from: string, extra: Partial<ChatLine> = {}): ChatLine => ({
  kind: 'chat',
  id,
  from,
  ts: 1_700_000_000_000,
  text: `text of ${id}`,
  own: from === ME,
  ...extra,
});

test('private lines shown are kept as they read now, and given back after a reload under the same peer id, oldest first', () => {
  const store = tabStore();
  const before = createPrivateKeeper(store, () => ME);
  before.keep(line('line-mine000000001', ME, { privateTo: BOB }), 'me', 'bob');
  before.keep(
    line('line-bobs000000001', BOB, {
      privateFrom: BOB,
      re: { from: ME, id: 'line-mine000000001', name: 'me', text: 'text' },
    }),
    'bob',
    'bob',
  );
  before.keep(line('line-edited0000001', BOB, { privateFrom: BOB }), 'bob', 'bob');
  before.keep(line('line-deleted000001', BOB, { privateFrom: BOB }), 'bob', 'bob');
  // Not kept: public lines, history, system lines.
  before.keep(line('line-public0000001', BOB), 'bob', 'bob');
  before.keep(line('line-history000001', BOB, { history: { verified: 'true', relayedBy: '' } }), 'bob', 'bob');
  before.revise(BOB, 'line-edited0000001', 'now it says this', 1_700_000_001_000);
  before.revise(BOB, 'line-deleted000001', null, 1_700_000_002_000);
  before.revise(BOB, 'line-public0000001', 'an edit of a line not kept', 1_700_000_003_000);
  // Written once, a moment after the changes or when the page goes (pagehide), not per line.
  assert.equal(store.raw(), null);
  before.flush();

  const after = createPrivateKeeper(store, () => ME).restore(true);
  assert.deepEqual(
    after.map((kept) => [kept.id, kept.name, kept.with, kept.text, kept.edited]),
    [
      ['line-mine000000001', 'me', BOB, 'text of line-mine000000001', undefined],
      ['line-bobs000000001', 'bob', BOB, 'text of line-bobs000000001', undefined],
      ['line-edited0000001', 'bob', BOB, 'now it says this', 1_700_000_001_000],
    ],
  );
  // Shown again as private between us: ours to Bob, Bob's to us, with its quote and its edit.
  const [mine, bobs, edited] = after.map((kept) => restoredLine(kept, ME));
  // With the other party's name as it was, for when it is gone by then.
  assert.deepEqual(
    [mine?.own, mine?.privateTo, mine?.privateFrom, mine?.kept],
    [true, BOB, undefined, { withName: 'bob' }],
  );
  assert.deepEqual([bobs?.own, bobs?.privateFrom, bobs?.re?.id], [false, BOB, 'line-mine000000001']);
  assert.equal(edited?.edited, 1_700_000_001_000);

  // Back under another peer id: the lines named us by the old one; nothing is given, and the store starts anew.
  const elsewhere = createPrivateKeeper(store, () => 'me-000000002');
  assert.deepEqual(elsewhere.restore(true), []);
  const notBack = createPrivateKeeper(store, () => ME);
  assert.deepEqual(notBack.restore(false), []);
  notBack.keep(line('line-fresh00000001', CAROL, { privateFrom: CAROL }), 'carol', 'carol');
  notBack.flush();
  assert.deepEqual(
    createPrivateKeeper(store, () => ME)
      .restore(true)
      .map((kept) => kept.id),
    ['line-fresh00000001'],
  );
});

test('the lines of a conversation name its other party as it was last named: one gone by the reload keeps the name it had when it left', () => {
  const store = tabStore();
  const keeper = createPrivateKeeper(store, () => ME);
  keeper.keep(line('line-mine000000001', ME, { privateTo: BOB }), 'me', 'bob');
  keeper.keep(line('line-bobs000000001', BOB, { privateFrom: BOB }), 'bob', 'bob');
  keeper.keep(line('line-carols00000001', CAROL, { privateFrom: CAROL }), 'carol', 'carol');
  // Bob becomes Robert, and Carol takes "bob".
  keeper.renamed(BOB, 'robert');
  keeper.renamed(CAROL, 'bob');
  keeper.flush();
  const after = createPrivateKeeper(store, () => ME).restore(true);
  assert.deepEqual(
    after.map((kept) => [kept.id, kept.name, kept.withName]),
    [
      ['line-mine000000001', 'me', 'robert'],
      ['line-bobs000000001', 'robert', 'robert'],
      ['line-carols00000001', 'bob', 'bob'],
    ],
  );
  // A member with no conversation here writes nothing.
  const quiet = tabStore();
  const none = createPrivateKeeper(quiet, () => ME);
  none.renamed(BOB, 'robert');
  none.flush();
  assert.equal(quiet.raw(), null);
});

test('a member named with emoji, writing emoji, has its lines kept: names and lines are counted in characters', () => {
  const store = tabStore();
  const emoji = '😀'.repeat(32); // 32 characters, 64 UTF-16 units
  const keeper = createPrivateKeeper(store, () => ME);
  keeper.keep(line('line-emoji00000001', BOB, { privateFrom: BOB, text: '🎉'.repeat(4_000) }), emoji, emoji);
  keeper.flush();
  const kept = createPrivateKeeper(store, () => ME).restore(true);
  assert.deepEqual(
    kept.map((one) => one.id),
    ['line-emoji00000001'],
  );
});

test('the newest 100 are kept', () => {
  const store = tabStore();
  const keeper = createPrivateKeeper(store, () => ME);
  for (let n = 0; n < MAX_KEPT_PRIVATE + 5; n++) {
    keeper.keep(line(`line-${String(n).padStart(14, '0')}`, BOB, { privateFrom: BOB }), 'bob', 'bob');
  }
  keeper.flush();
  const kept = createPrivateKeeper(store, () => ME).restore(true);
  assert.equal(kept.length, MAX_KEPT_PRIVATE);
  assert.equal(kept[0]?.id, `line-${String(5).padStart(14, '0')}`);
});

test('each conversation keeps its share: a member writing without end pushes out its own lines, not our conversations with the others', () => {
  const store = tabStore();
  const keeper = createPrivateKeeper(store, () => ME);
  const MALLORY = 'mallory-0001';
  keeper.keep(line('line-carol00000001', CAROL, { privateFrom: CAROL }), 'carol', 'carol');
  keeper.keep(line('line-mine000000001', ME, { privateTo: CAROL }), 'me', 'carol');
  for (let n = 0; n < 2 * MAX_KEPT_PRIVATE; n++) {
    keeper.keep(line(`line-m${String(n).padStart(12, '0')}`, MALLORY, { privateFrom: MALLORY }), 'mallory', 'mallory');
  }
  keeper.flush();
  const kept = createPrivateKeeper(store, () => ME).restore(true);
  assert.equal(kept.length, MAX_KEPT_PRIVATE);
  assert.deepEqual(
    kept.slice(0, 2).map((l) => l.id),
    ['line-carol00000001', 'line-mine000000001'],
    'the exchange with Carol stays',
  );
  assert.equal(
    kept[2]?.id,
    `line-m${String(2 * MAX_KEPT_PRIVATE - (MAX_KEPT_PRIVATE - 2)).padStart(12, '0')}`,
    'Mallory’s newest',
  );
  // Bob writes now: Mallory's conversation, the longest, gives way, not Carol's.
  const again = createPrivateKeeper(store, () => ME);
  again.restore(true);
  again.keep(line('line-bob000000001', BOB, { privateFrom: BOB }), 'bob', 'bob');
  again.flush();
  const after = createPrivateKeeper(store, () => ME).restore(true);
  assert.equal(after.length, MAX_KEPT_PRIVATE);
  assert.deepEqual(
    after.filter((l) => l.with !== MALLORY).map((l) => l.id),
    ['line-carol00000001', 'line-mine000000001', 'line-bob000000001'],
  );
});

test('what the store holds is read as untrusted: anything malformed, or not between us and another, is left out', () => {
  const good = { id: 'line-good00000001', from: BOB, name: 'bob', with: BOB, ts: 1, text: 'hi' };
  const saved = {
    from: ME,
    lines: [
      good,
      { ...good, id: 'x' },
      { ...good, from: 'not a peer id!' },
      { ...good, name: '' },
      { ...good, text: 'y'.repeat(5_000) },
      { ...good, ts: -1 },
      { ...good, edited: 'yesterday' },
      { ...good, withName: '' },
      { ...good, re: { from: ME, id: 'line-x', name: 'me', text: 'quoted', extra: 1 } },
      // Between two others: not ours to show.
      { ...good, id: 'line-others0000001', from: CAROL, with: BOB },
      // Ours to ourselves: no such private line.
      { ...good, id: 'line-self00000001', from: ME, with: ME },
      'a string',
      null,
    ],
  };
  assert.deepEqual(
    keptPrivateLines(saved, ME).map((kept) => kept.id),
    ['line-good00000001'],
  );
  for (const junk of [null, 'text', 7, [], { from: ME }, { from: ME, lines: 'x' }, { from: CAROL, lines: [good] }]) {
    assert.deepEqual(keptPrivateLines(junk, ME), [], JSON.stringify(junk));
  }
});
