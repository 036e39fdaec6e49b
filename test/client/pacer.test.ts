// Sender-side pacing against the receiver's budget, on a clock the test moves: whatever the
// pacer lets through, the receiving page's budget (budget.ts, same rates) passes; a message
// bigger than the pacer's share still goes, once the share is full.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBudget } from '../../client/budget.ts';
import { createPacer } from '../../client/pacer.ts';
import { CHANNEL_RATES, type ChannelMessageType, type ChannelRate } from '../../protocol/index.ts';
import { manualClock } from './fake-member.ts';

test('what the pacer lets through, the receiver’s budget passes, however fast we try to send', () => {
  const clock = manualClock(1_000);
  const pacer = createPacer(CHANNEL_RATES.chat, clock.now);
  const budget = createBudget(CHANNEL_RATES, clock.now);
  // A deterministic mix of short and long lines, tried every millisecond for a minute.
  let seed = 7;
  const nextSize = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % 10 === 0 ? 4_200 : 150 + (seed % 60);
  };
  let size = nextSize();
  let sent = 0;
  let chars = 0;
  for (let ms = 0; ms < 60_000; ms++) {
    while (pacer.take(size) === 0) {
      assert.equal(budget.admit('chat', size), 'pass', `message ${sent} at ${ms} ms`);
      sent++;
      chars += size;
      size = nextSize();
    }
    clock.advance(1);
  }
  // Not far under what we allow ourselves: half the 200k burst, then 0.9 × 50k a second.
  assert.ok(chars > 2_700_000, `${chars} characters in a minute`);
});

test('a message bigger than the pacer’s share waits for the share to fill, then goes', () => {
  const rates = {
    ...CHANNEL_RATES,
    chat: { perSecond: 100, burst: 100, chars: { perSecond: 1_000, burst: 10_000 } },
  } satisfies Record<ChannelMessageType, ChannelRate>;
  const clock = manualClock();
  const pacer = createPacer(rates.chat, clock.now);
  const budget = createBudget(rates, clock.now);
  assert.equal(pacer.take(4_000), 0);
  assert.equal(budget.admit('chat', 4_000), 'pass');
  const wait = pacer.take(8_000); // over our half of the burst: waits until that half is full
  assert.ok(wait > 0);
  clock.advance(wait);
  assert.equal(pacer.take(8_000), 0);
  assert.equal(budget.admit('chat', 8_000), 'pass');
});
