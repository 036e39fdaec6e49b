// The channel messages of typing, read receipts and reactions: exactly these shapes parse,
// anything else (extra fields, unknown emoji, oversized batches, bad ids) is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_HISTORY_LINE_REACTIONS, MAX_REACTION_SYNC, MAX_READ_IDS, parseChannelMessage } from '../protocol/index.ts';

const ID = 'abcdefghijklmnopqrstu';
const AUTHOR = 'peer-0000001';
const parse = (value: unknown) => parseChannelMessage(JSON.stringify(value));
const TS = 1_700_000_000_000;
/** An ECDSA P-256 signature's length in base64url. */
const SIG = 'A'.repeat(86);

test('well-formed typing, read receipts and reactions parse', () => {
  for (const message of [
    { t: 'typing', active: true },
    { t: 'typing', active: false },
    { t: 'receipt:read', ids: [ID] },
    { t: 'receipt:read', ids: Array(MAX_READ_IDS).fill(ID) },
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true, ts: TS, sig: SIG },
    { t: 'react', author: AUTHOR, id: ID, emoji: '❤️', on: false, ts: TS, sig: SIG },
    // Unsigned: from a browser without WebCrypto (the receiver decides, as for lines).
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true, ts: TS },
  ]) {
    assert.deepEqual(parse(message), message);
  }
});

test('malformed ones are dropped, never thrown', () => {
  for (const message of [
    { t: 'typing' },
    { t: 'typing', active: 'yes' },
    { t: 'typing', active: true, text: 'peek at what I type' },
    { t: 'receipt:read', ids: [] },
    { t: 'receipt:read', ids: Array(MAX_READ_IDS + 1).fill(ID) },
    { t: 'receipt:read', ids: ['<script>'] },
    { t: 'react', author: AUTHOR, id: ID, emoji: '💩', on: true },
    { t: 'react', author: AUTHOR, id: ID, emoji: '<img src=x>', on: true },
    { t: 'react', author: '', id: ID, emoji: '👍', on: true },
    { t: 'react', author: AUTHOR, id: 'x'.repeat(100), emoji: '👍', on: true },
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍' },
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true, count: 1000 },
    { t: 'reaction', author: AUTHOR, id: ID, emoji: '👍', on: true },
    // Its time is what orders it against replays: required, and bounded as a line's.
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true },
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true, ts: -1, sig: SIG },
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true, ts: 1e20, sig: SIG },
    { t: 'react', author: AUTHOR, id: ID, emoji: '👍', on: true, ts: TS, sig: 'not a signature!' },
  ]) {
    assert.equal(parse(message), null, JSON.stringify(message));
  }
});

test('react:sync and reactions on history lines parse within their bounds only', () => {
  const change = { author: AUTHOR, id: ID, emoji: '👍', on: false, ts: TS, sig: SIG };
  assert.ok(parseChannelMessage(JSON.stringify({ t: 'react:sync', reactions: [change] })));
  for (const reactions of [
    [],
    Array(MAX_REACTION_SYNC + 1).fill(change),
    [{ ...change, emoji: '💩' }],
    [{ ...change, ts: '1' }],
  ]) {
    assert.equal(parseChannelMessage(JSON.stringify({ t: 'react:sync', reactions })), null);
  }
  const line = { from: AUTHOR, name: 'Alice', id: ID, ts: 1_700_000_000_000, text: 'hi' };
  const reaction = { emoji: '🎉', by: AUTHOR, name: 'Alice', on: true, ts: TS, sig: SIG };
  const answer = (reactions: unknown[]) =>
    parseChannelMessage(JSON.stringify({ t: 'history:lines', lines: [{ ...line, reactions }], done: true }));
  assert.ok(answer([reaction]));
  assert.equal(answer(Array(MAX_HISTORY_LINE_REACTIONS + 1).fill(reaction)), null);
  assert.equal(answer([{ ...reaction, name: '' }]), null);
  assert.equal(answer([{ ...reaction, by: '../x' }]), null);
  assert.ok(answer([{ ...reaction, on: false }]), 'a signed "off" travels too: it beats a replayed "on"');
  assert.equal(answer([{ emoji: '🎉', by: AUTHOR, name: 'Alice' }]), null, 'no state, no time: dropped');
  assert.equal(answer([{ ...reaction, sig: '<sig>' }]), null);
});
