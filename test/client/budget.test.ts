// Per-member budgets, with a clock the test moves: a burst within budget passes; a member
// over budget is muted, and cut if it floods on while muted or offends again soon after;
// one that merely had a burst is heard again once the mute is over. Then the same through
// the mesh: a flooding member's entry says muted, then its link is closed for good.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBudget, createQuota, MUTE_MS } from '../../client/budget.ts';
import { defineFeature } from '../../client/feature.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import { CHANNEL_RATES, type ChannelMessageType, type ChannelRate, MAX_PENDING_OFFERS } from '../../protocol/index.ts';
import { fakeLinkConfig, fakeLinks, trustingHandshake } from './fakes.ts';

const rates = {
  ...CHANNEL_RATES,
  ack: { perSecond: 10, burst: 20 },
  chat: { perSecond: 10, burst: 20, chars: { perSecond: 1_000, burst: 4_000 } },
} satisfies Record<ChannelMessageType, ChannelRate>;

function clock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

const admitMany = (admit: () => string, n: number): string[] => Array.from({ length: n }, admit);

test('a burst within budget passes, and the bucket refills at its rate', () => {
  const time = clock();
  const budget = createBudget(rates, time.now);
  assert.deepEqual(new Set(admitMany(() => budget.admit('ack', 10), 20)), new Set(['pass']));
  time.advance(1_000);
  assert.deepEqual(new Set(admitMany(() => budget.admit('ack', 10), 10)), new Set(['pass']));
});

test('a member silent for a while has its whole burst again, and no more', () => {
  const time = clock();
  const budget = createBudget(rates, time.now);
  admitMany(() => budget.admit('ack', 10), 20);
  time.advance(10 * 60_000);
  assert.deepEqual(new Set(admitMany(() => budget.admit('ack', 10), 20)), new Set(['pass']));
  assert.equal(budget.admit('ack', 10), 'mute', 'the silence refills up to the burst, not beyond');
});

test('over budget the member is muted for a while, then heard again once its debt is paid', () => {
  const time = clock();
  const budget = createBudget(rates, time.now);
  admitMany(() => budget.admit('ack', 10), 20);
  assert.equal(budget.admit('ack', 10), 'mute');
  assert.equal(budget.admit('chat', 10), 'ignore', 'muted: every type is ignored');
  time.advance(MUTE_MS);
  assert.equal(budget.admit('ack', 10), 'pass');
});

test('a set of MAX_PENDING_OFFERS small files, each offered, accepted, ended and done within a second, stays within budget on both sides', () => {
  const time = clock();
  const sender = createBudget(CHANNEL_RATES, time.now);
  const receiver = createBudget(CHANNEL_RATES, time.now);
  const verdicts: string[] = [];
  for (let i = 0; i < MAX_PENDING_OFFERS; i++) verdicts.push(receiver.admit('file:offer', 200));
  // A file every 10 ms, four at a time: what a faster machine than the bench's does.
  for (let i = 0; i < MAX_PENDING_OFFERS; i++) {
    verdicts.push(sender.admit('file:accept', 60), receiver.admit('file:end', 60), sender.admit('file:done', 60));
    time.advance(10);
  }
  assert.deepEqual(new Set(verdicts), new Set(['pass']));
});

test('a member that floods on while muted is cut', () => {
  const time = clock();
  const budget = createBudget(rates, time.now);
  const verdicts = admitMany(() => budget.admit('ack', 10), 100);
  assert.equal(verdicts.indexOf('mute'), 20);
  assert.equal(verdicts.indexOf('cut'), 40, "a burst's worth more while muted");
  assert.equal(verdicts.at(-1), 'ignore');
});

test('a member over budget again soon after its mute is cut', () => {
  const time = clock();
  const budget = createBudget(rates, time.now);
  admitMany(() => budget.admit('ack', 10), 21);
  time.advance(MUTE_MS * 2);
  const verdicts = admitMany(() => budget.admit('ack', 10), 30);
  assert.ok(verdicts.includes('cut'));
  assert.ok(!verdicts.includes('mute'));
});

test('long lines are charged by their characters as well', () => {
  const time = clock();
  const budget = createBudget(rates, time.now);
  assert.deepEqual(
    admitMany(() => budget.admit('chat', 1_000), 5),
    ['pass', 'pass', 'pass', 'pass', 'mute'],
  );
});

test('what comes through a relay only has its excess dropped: nobody is muted or cut, and it refills', () => {
  const time = clock();
  const quota = createQuota(rates, time.now);
  const taken = Array.from({ length: 1_000 }, () => quota.take('ack', 10));
  assert.equal(taken.filter(Boolean).length, 20, 'the burst passes, the rest is dropped');
  assert.equal(quota.take('chat', 10), true, 'other types are untouched');
  time.advance(1_000);
  assert.equal(Array.from({ length: 20 }, () => quota.take('ack', 10)).filter(Boolean).length, 10, 'no debt to pay');
});

test('through the mesh: a flooding member is shown muted, then its link is closed and stays closed', () => {
  const time = clock();
  const heard: string[] = [];
  const chat = defineFeature({ name: 'chat', types: ['chat', 'ack'], receive: (_m, msg) => heard.push(msg.t) });
  const { factory, made } = fakeLinks();
  const reasons: Array<string | null> = [];
  /** The reasons whose change asked to be drawn at once. */
  const urgent: Array<string | null> = [];
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: trustingHandshake,
    router: createRouter([chat], { now: time.now }),
    sendSignal: () => {},
    changed: (now) => {
      const reason = mesh.members()[0]?.reason?.code ?? null;
      reasons.push(reason);
      if (now) urgent.push(reason);
    },
    notice: () => {},
  });
  mesh.setSelf('aaaaaaaaaaaa');
  mesh.peerJoined({ id: 'bbbbbbbbbbbb', name: 'Mallory' });
  const link = made[0];
  assert.ok(link);
  link.openChannel();
  for (let i = 0; i < 1_000 && !link.closed; i++) link.deliver({ t: 'ack', ids: ['aaaaaaaaaaaaaaaaaaaaa'] });
  assert.equal(heard.length, CHANNEL_RATES.ack.burst, 'a burst was heard, nothing after');
  assert.ok(link.closed, 'the link was cut');
  assert.deepEqual(
    reasons.filter((r) => r !== null),
    ['muted', 'flooding'],
  );
  assert.deepEqual(urgent, ['muted', 'flooding'], 'the mute and the cut are drawn as they happen');
  assert.equal(mesh.members()[0]?.state, 'unreachable');
  // It stays cut: a new session from it (a reload) makes no new link.
  mesh.signal({ from: 'bbbbbbbbbbbb', description: { type: 'offer', sdp: 'another session' } });
  assert.equal(made.length, 1);
});
