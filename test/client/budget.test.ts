// Per-member budgets, with a clock the test moves: a burst within budget passes; a member
// over budget is muted, and cut if it floods on while muted or offends again soon after;
// one that merely had a burst is heard again once the mute is over. Then the same through
// the mesh: a flooding member's entry says muted, then its link is closed for good; the same
// for messages that do not parse and for data channels, which are charged as messages are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBudget, createQuota, MUTE_MS } from '../../client/budget.ts';
import { defineFeature } from '../../client/feature.ts';
import { createMesh } from '../../client/mesh.ts';
import { createRouter } from '../../client/router.ts';
import {
  BUDGET_RATES,
  CHANNEL_RATES,
  type ChannelMessageType,
  type ChannelRate,
  MAX_PENDING_OFFERS,
} from '../../protocol/index.ts';
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

/**
 * Alice's mesh, on the test's clock, with Mallory's link open; `reasons`: each reason Mallory's
 * entry showed, `urgent`: those asked to be drawn at once.
 */
function aliceWithMallory(time: ReturnType<typeof clock>, features: Parameters<typeof createRouter>[0]) {
  const { factory, made } = fakeLinks();
  const reasons: Array<string | null> = [];
  const urgent: Array<string | null> = [];
  const mesh = createMesh({
    links: fakeLinkConfig(factory),
    handshake: trustingHandshake,
    router: createRouter(features, { now: time.now }),
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
  const shown = () => reasons.filter((r) => r !== null);
  return { mesh, made, link, shown, urgent };
}

test('through the mesh: a flooding member is shown muted, then its link is closed and stays closed', () => {
  const time = clock();
  const heard: string[] = [];
  const chat = defineFeature({ name: 'chat', types: ['chat', 'ack'], receive: (_m, msg) => heard.push(msg.t) });
  const { mesh, made, link, shown, urgent } = aliceWithMallory(time, [chat]);
  for (let i = 0; i < 1_000 && !link.closed; i++) link.deliver({ t: 'ack', ids: ['aaaaaaaaaaaaaaaaaaaaa'] });
  assert.equal(heard.length, CHANNEL_RATES.ack.burst, 'a burst was heard, nothing after');
  assert.ok(link.closed, 'the link was cut');
  assert.deepEqual(shown(), ['muted', 'flooding']);
  assert.deepEqual(urgent, ['muted', 'flooding'], 'the mute and the cut are drawn as they happen');
  assert.equal(mesh.members()[0]?.state, 'unreachable');
  // It stays cut: a new session from it (a reload) makes no new link.
  mesh.signal({ from: 'bbbbbbbbbbbb', description: { type: 'offer', sdp: 'another session' } });
  assert.equal(made.length, 1);
});

test('through the mesh: messages that do not parse are charged too, by count and size; a flood of them is muted, then cut', () => {
  const time = clock();
  const heard: string[] = [];
  const chat = defineFeature({ name: 'chat', types: ['chat'], receive: (_m, msg) => heard.push(msg.t) });
  // A few now and then (a newer page's slip) cost nothing.
  const honest = aliceWithMallory(time, [chat]);
  for (let i = 0; i < 10; i++) honest.link.deliverMalformed(200);
  honest.link.deliver({ t: 'chat', id: 'abcdefghijkl', ts: 1, text: 'still heard' });
  assert.deepEqual(honest.shown(), []);
  assert.deepEqual(heard, ['chat']);
  // Mallory's 32 KB of nested arrays, each costing a parse: cut within a handful.
  const big = aliceWithMallory(time, [chat]);
  let sent = 0;
  for (; sent < 1_000 && !big.link.closed; sent++) big.link.deliverMalformed(32_000);
  assert.ok(big.link.closed, 'the link was cut');
  assert.ok(sent <= 5, `cut after ${sent} of them`);
  assert.deepEqual(big.shown(), ['muted', 'flooding']);
  // Small ones: by their count.
  const small = aliceWithMallory(time, [chat]);
  sent = 0;
  for (; sent < 1_000 && !small.link.closed; sent++) small.link.deliverMalformed(2);
  assert.ok(small.link.closed, 'the link was cut');
  assert.equal(sent, 2 * BUDGET_RATES.malformed.burst + 1, 'a burst, then a burst’s worth more while muted');
  assert.deepEqual(small.shown(), ['muted', 'flooding']);
});

test('through the mesh: data channels a member opens are charged, taken or not; a flood of them is muted, then cut, each one closed', () => {
  const time = clock();
  const taken: string[] = [];
  const files = defineFeature({
    name: 'files',
    types: ['file:offer'],
    receive: () => {},
    dataChannel: (_m, channel) => channel.label.startsWith('file:') && taken.push(channel.label) > 0,
  });
  const { link, shown } = aliceWithMallory(time, [files]);
  const stillOpen: Array<() => boolean> = [];
  for (let i = 0; i < 10; i++) stillOpen.push(link.openDataChannel(`file:${i}`));
  assert.equal(taken.length, 10, 'a feature’s channels within the budget are taken');
  assert.ok(stillOpen.every((open) => open()));
  assert.equal(link.openDataChannel('junk')(), false, 'one no feature takes is closed');
  let opened = 0;
  for (; opened < 100_000 && !link.closed; opened++) stillOpen.push(link.openDataChannel(`junk${opened}`));
  assert.ok(link.closed, 'the link was cut');
  assert.ok(opened <= 2 * BUDGET_RATES['data-channel'].burst, `cut after ${opened} channels`);
  assert.deepEqual(shown(), ['muted', 'flooding']);
  assert.ok(
    stillOpen.slice(10).every((open) => !open()),
    'every channel no feature took was closed',
  );
  assert.equal(link.openDataChannel('file:late')(), false, 'nothing is taken from a member cut');
  assert.equal(taken.length, 10);
});
