// Channel messages from a hostile member: timestamps a Date cannot hold are refused by the
// parser (they used to throw "Invalid time value" in the page, after the line was acked).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TIMESTAMP_MS, parseChannelMessage } from '../protocol/index.ts';

const chat = (ts: unknown) => JSON.stringify({ t: 'chat', id: 'abcdefghij01', ts, text: 'hi' });

test('a chat line with a timestamp a Date cannot hold is refused', () => {
  assert.equal(parseChannelMessage(chat(1e300)), null);
  assert.equal(parseChannelMessage(chat(MAX_TIMESTAMP_MS + 1)), null);
  assert.equal(parseChannelMessage(chat(-1)), null);
  assert.equal(parseChannelMessage(chat('1700000000000')), null);
  assert.equal(parseChannelMessage('{"t":"chat","id":"abcdefghij01","ts":1e999,"text":"hi"}'), null);
});

test('any timestamp a Date can hold is accepted (the view decides what to show)', () => {
  for (const ts of [0, 1_700_000_000_000, MAX_TIMESTAMP_MS]) {
    const message = parseChannelMessage(chat(ts));
    assert.ok(message?.t === 'chat' && Number.isFinite(new Date(message.ts).getTime()));
  }
});
