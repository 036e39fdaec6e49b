// The protocol parsers are the server's first line of defence: each must accept exactly the
// documented shapes and turn everything else into a clean error, never a throw.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodePeerKeys,
  encodePeerKeys,
  normalizeName,
  parseChannelMessage,
  parseJoinRequest,
  parseOutgoingSignal,
} from '../protocol/index.ts';
import { parseJoinAck, parsePeerInfo } from '../protocol/server-events.ts';

const ROOM = 'Abcdefghijklmnop_-12';
const PEER = 'peer_ABC-1234';

/** Values no parser should accept as a whole payload. */
const HOSTILE: unknown[] = [
  null,
  undefined,
  0,
  42,
  Number.NaN,
  true,
  'room',
  [],
  [ROOM, 'alice'],
  () => {},
  Symbol('x'),
  new Date(),
  Buffer.from('{"roomId":"x"}'),
];

test('parseJoinRequest accepts a room id and a name, and trims the name', () => {
  const result = parseJoinRequest({ roomId: ROOM, name: '  Alice  ' });
  assert.deepEqual(result, { ok: true, value: { roomId: ROOM, name: 'Alice' } });
});

test('parseJoinRequest keeps a well-formed resume ticket', () => {
  const resume = { id: PEER, token: 'x'.repeat(43) };
  const result = parseJoinRequest({ roomId: ROOM, name: 'Bob', resume });
  assert.deepEqual(result, { ok: true, value: { roomId: ROOM, name: 'Bob', resume } });
});

test('parseJoinRequest rejects non-objects as bad_request without throwing', () => {
  for (const raw of HOSTILE) {
    const result = parseJoinRequest(raw);
    assert.equal(result.ok, false, `accepted ${String(raw)}`);
    if (!result.ok) assert.equal(result.error.code, 'bad_request');
  }
});

test('parseJoinRequest rejects extra fields and prototype-pollution keys', () => {
  const cases = [
    { roomId: ROOM, name: 'a', admin: true },
    JSON.parse(`{"roomId":"${ROOM}","name":"a","__proto__":{"polluted":1}}`),
    JSON.parse(`{"roomId":"${ROOM}","name":"a","constructor":{"prototype":{"polluted":1}}}`),
    { roomId: ROOM, name: 'a', resume: { id: PEER, token: 'x'.repeat(43), extra: 1 } },
    { roomId: ROOM, name: 'a', resume: { id: 'short', token: 'x'.repeat(43) } },
    { roomId: ROOM, name: 'a', resume: 'ticket' },
  ];
  for (const raw of cases) {
    const result = parseJoinRequest(raw);
    assert.equal(result.ok, false, JSON.stringify(raw));
    if (!result.ok) assert.equal(result.error.code, 'bad_request');
  }
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('parseJoinRequest rejects bad room ids with invalid_room', () => {
  for (const roomId of [
    'short',
    'x'.repeat(65),
    'has space in it!!!',
    '../../etc/passwd/x',
    12345678901234568,
    null,
    ['x'.repeat(20)],
    'ü'.repeat(20),
  ]) {
    const result = parseJoinRequest({ roomId, name: 'a' });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'invalid_room', String(roomId));
  }
});

test('parseJoinRequest rejects bad names with invalid_name', () => {
  const names: unknown[] = [
    '',
    '   ',
    'x'.repeat(33),
    'x'.repeat(1_000_000),
    'a\u0000b',
    'line\nbreak',
    'tab\there',
    'evil\u202Egnp.exe',
    '\u2066isolate',
    'mark\u200F',
    42,
    null,
    { first: 'a' },
  ];
  for (const name of names) {
    const result = parseJoinRequest({ roomId: ROOM, name });
    assert.equal(result.ok, false, JSON.stringify(name)?.slice(0, 40));
    if (!result.ok) assert.equal(result.error.code, 'invalid_name');
  }
});

test('a room_full refusal keeps the room’s cap when it is a whole number of members, and drops anything else', () => {
  const refusal = (maxRoomSize: unknown) =>
    parseJoinAck({ ok: false, error: { code: 'room_full', message: 'this room already has 3 members', maxRoomSize } });
  assert.deepEqual(refusal(3), {
    ok: false,
    error: { code: 'room_full', message: 'this room already has 3 members', maxRoomSize: 3 },
  });
  for (const junk of [0, -3, 2.5, '3', Number.NaN, Number.POSITIVE_INFINITY, null, { n: 3 }]) {
    assert.deepEqual(refusal(junk), {
      ok: false,
      error: { code: 'room_full', message: 'this room already has 3 members' },
    });
  }
});

test('normalizeName counts code points: 32 emoji are fine, 33 are not', () => {
  assert.deepEqual(normalizeName('😀'.repeat(32)), { ok: true, name: '😀'.repeat(32) });
  assert.equal(normalizeName('😀'.repeat(33)).ok, false);
  assert.deepEqual(normalizeName(' Zoë '), { ok: true, name: 'Zoë' });
  assert.equal(normalizeName(undefined).ok, false);
  assert.equal(normalizeName('\u0007bell').ok, false);
});

test('parseOutgoingSignal accepts a description or a candidate', () => {
  const description = { type: 'offer', sdp: 'v=0\r\n' } as const;
  assert.deepEqual(parseOutgoingSignal({ to: PEER, description }), { ok: true, value: { to: PEER, description } });
  const candidate = {
    candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: null,
  };
  assert.deepEqual(parseOutgoingSignal({ to: PEER, candidate }), { ok: true, value: { to: PEER, candidate } });
  // The end-of-candidates marker is an empty candidate string.
  assert.equal(parseOutgoingSignal({ to: PEER, candidate: { candidate: '' } }).ok, true);
});

test('parseOutgoingSignal rejects everything else as bad_request', () => {
  const description = { type: 'offer', sdp: 'v=0' };
  const candidate = { candidate: 'candidate:1' };
  const cases: unknown[] = [
    ...HOSTILE,
    { to: PEER },
    { to: PEER, description, candidate },
    { to: PEER, description, from: 'someoneelse1' },
    { to: 'bad id!', description },
    { to: PEER, description: { type: 'bogus', sdp: '' } },
    { to: PEER, description: { type: 'offer', sdp: 'x'.repeat(16_001) } },
    { to: PEER, description: { type: 'offer' } },
    { to: PEER, candidate: { candidate: 'x'.repeat(2_000) } },
    { to: PEER, candidate: { candidate: 'c', sdpMLineIndex: -1 } },
    { to: PEER, candidate: { candidate: 'c', extra: true } },
    JSON.parse(`{"to":"${PEER}","candidate":{"candidate":"c"},"__proto__":{"x":1}}`),
  ];
  for (const raw of cases) {
    const result = parseOutgoingSignal(raw);
    assert.equal(result.ok, false, String(JSON.stringify(raw)).slice(0, 80));
    if (!result.ok) assert.equal(result.error.code, 'bad_request');
  }
});

test('parseChannelMessage accepts each message kind', () => {
  const id = 'abcdefghijklmnopqrstu';
  const good = [
    { t: 'hello', v: 2 },
    { t: 'hello', v: 2, proof: 'abc', key: 'A'.repeat(87) },
    { t: 'chat', id, ts: 1_700_000_000_000, text: 'hi' },
    { t: 'chat', id, ts: 1_700_000_000_000, text: 'hi', to: 'peer-0000001', sig: 's'.repeat(86) },
    { t: 'history:req' },
    {
      t: 'history:lines',
      lines: [{ from: 'peer-0000001', name: 'Bob', id, ts: 1, text: 'x', sig: 's'.repeat(86) }],
      done: true,
    },
    { t: 'ack', ids: [id] },
    { t: 'ping', n: 3 },
    { t: 'key:held', sig: 's'.repeat(86) },
    { t: 'bye' },
    {
      t: 'relay:links',
      peers: [
        { id: 'peer-0000001', rtt: 12 },
        { id: 'peer-0000002', rtt: null },
      ],
      rate: 50,
    },
    { t: 'relay:links', peers: [] },
    { t: 'relay:fwd', to: 'peer-0000001', sealed: 'A'.repeat(64) },
    { t: 'relay:deliver', from: 'peer-0000001', sealed: 'A'.repeat(64) },
  ];
  for (const message of good) assert.deepEqual(parseChannelMessage(JSON.stringify(message)), message);
});

test('announced keys may carry the signing key’s signature over the ECDH key (held): joined, stored and read back with it or without it', () => {
  const keys = { sign: 'S'.repeat(87), ecdh: 'E'.repeat(87), proof: 'P'.repeat(43) };
  const held = { ...keys, held: 'h'.repeat(86) };
  for (const announced of [keys, held]) {
    const join = parseJoinRequest({ roomId: ROOM, name: 'alice', keys: announced });
    assert.ok(join.ok);
    assert.deepEqual(join.value.keys, announced);
    assert.deepEqual(decodePeerKeys(encodePeerKeys(announced)), announced);
    assert.deepEqual(parsePeerInfo({ id: PEER, name: 'alice', keys: announced })?.keys, announced);
  }
  // A join with a malformed one is refused, as any malformed key is; a stored form with parts
  // a later version added reads as what this version knows (a deploy rolling across nodes).
  for (const bad of ['', 'not base64url!', 'h'.repeat(129), 7]) {
    assert.equal(parseJoinRequest({ roomId: ROOM, name: 'alice', keys: { ...keys, held: bad } }).ok, false);
  }
  assert.deepEqual(decodePeerKeys(`${encodePeerKeys(held)}.later-part`), held);
  assert.equal(decodePeerKeys(`${encodePeerKeys(keys)}.not<a>signature`), null);
  assert.equal(decodePeerKeys('only.two'), null);
  // From the server, a malformed one proves nothing: the member keeps its keys without it.
  assert.deepEqual(parsePeerInfo({ id: PEER, name: 'alice', keys: { ...keys, held: 'no!' } })?.keys, keys);
});

test('a key:held carries one signature, base64url of a sane length, and nothing else', () => {
  for (const message of [
    { t: 'key:held' },
    { t: 'key:held', sig: '' },
    { t: 'key:held', sig: 's'.repeat(129) },
    { t: 'key:held', sig: 'not base64url!' },
    { t: 'key:held', sig: 7 },
    { t: 'key:held', sig: 's'.repeat(86), key: 'A'.repeat(87) },
  ]) {
    const raw = JSON.stringify(message);
    assert.equal(parseChannelMessage(raw), null, raw);
  }
});

test('a history request and every chunk of its answer may carry a request number: a non-negative safe integer, nothing else', () => {
  const line = { from: 'peer-0000001', name: 'Bob', id: 'abcdefghijklmnopqrstu', ts: 1, text: 'x' };
  for (const n of [0, 7, Number.MAX_SAFE_INTEGER]) {
    for (const message of [
      { t: 'history:req', n },
      { t: 'history:lines', n, lines: [line], done: false },
    ]) {
      assert.deepEqual(parseChannelMessage(JSON.stringify(message)), message);
    }
  }
  for (const n of [-1, 1.5, '7', null, Number.MAX_SAFE_INTEGER + 2, 1e300, true, [7]]) {
    for (const message of [
      { t: 'history:req', n },
      { t: 'history:lines', n, lines: [], done: true },
    ]) {
      const raw = JSON.stringify(message);
      assert.equal(parseChannelMessage(raw), null, raw);
    }
  }
});

test('parseChannelMessage returns null for hostile input', () => {
  const id = 'abcdefghijklmnopqrstu';
  const bad: unknown[] = [
    ...HOSTILE,
    '',
    'not json',
    'null',
    '[]',
    '42',
    '{"t":"nope"}',
    JSON.stringify({ t: 'chat', id, ts: 1, text: '' }),
    JSON.stringify({ t: 'chat', id, ts: 1, text: 'x'.repeat(4_001) }),
    JSON.stringify({ t: 'chat', id, ts: -1, text: 'x' }),
    JSON.stringify({ t: 'chat', id: 'bad id', ts: 1, text: 'x' }),
    JSON.stringify({ t: 'chat', id, ts: 1, text: 'x', html: '<b>' }),
    `{"t":"bye","__proto__":{"polluted":1}}`,
    // A peer never names itself: names come from the server.
    JSON.stringify({ t: 'hello', v: 2, name: 'Alice' }),
    JSON.stringify({ t: 'name', name: 'Bob' }),
    JSON.stringify({ t: 'hello', v: 0 }),
    JSON.stringify({ t: 'hello', v: 2, proof: 'x'.repeat(129) }),
    JSON.stringify({ t: 'ping', n: 1.5 }),
    // Pings are not answered any more: an answer is not a message.
    JSON.stringify({ t: 'pong', n: 3 }),
    JSON.stringify({ t: 'ack', id }),
    JSON.stringify({ t: 'ack', ids: [] }),
    JSON.stringify({ t: 'ack', ids: ['bad id'] }),
    JSON.stringify({ t: 'ack', ids: Array.from({ length: 513 }, () => id) }),
    JSON.stringify({ t: 'chat', id, ts: 1, text: 'x' }) + ' '.repeat(40_000),
    JSON.stringify({ t: 'chat', id, ts: 1e300, text: 'x' }),
    JSON.stringify({ t: 'chat', id, ts: 1, text: 'x', to: 'bad id' }),
    JSON.stringify({ t: 'chat', id, ts: 1, text: 'x', sig: 'bad sig' }),
    JSON.stringify({ t: 'hello', v: 1, key: 'k'.repeat(200) }),
    JSON.stringify({ t: 'history:req', max: 1000 }),
    JSON.stringify({ t: 'history:lines', lines: [], done: 'yes' }),
    JSON.stringify({ t: 'history:lines', lines: [{ from: 'peer-0000001', id, ts: 1, text: 'x' }], done: true }),
    JSON.stringify({
      t: 'history:lines',
      lines: Array.from({ length: 51 }, () => ({ from: 'peer-0000001', name: 'B', id, ts: 1, text: 'x' })),
      done: true,
    }),
    // Relay messages from a hostile member: bad ids, rates, round trips, envelopes.
    JSON.stringify({ t: 'relay:links', peers: [{ id: 'bad id', rtt: 1 }] }),
    JSON.stringify({ t: 'relay:links', peers: [{ id: 'peer-0000001', rtt: -1 }] }),
    JSON.stringify({ t: 'relay:links', peers: [{ id: 'peer-0000001', rtt: 1e9 }] }),
    JSON.stringify({ t: 'relay:links', peers: [], rate: 0 }),
    JSON.stringify({ t: 'relay:links', peers: [], rate: 1e6 }),
    JSON.stringify({ t: 'relay:links', peers: [], rate: '50' }),
    JSON.stringify({
      t: 'relay:links',
      peers: Array.from({ length: 65 }, (_, i) => ({ id: `peer-${String(i).padStart(7, '0')}`, rtt: 1 })),
    }),
    JSON.stringify({ t: 'relay:fwd', to: 'peer-0000001', sealed: 'short' }),
    JSON.stringify({ t: 'relay:fwd', to: 'peer-0000001', sealed: `${'A'.repeat(63)}<` }),
    JSON.stringify({ t: 'relay:fwd', to: 'peer-0000001', sealed: 'A'.repeat(64), from: 'peer-0000002' }),
    JSON.stringify({ t: 'relay:deliver', from: 'bad id', sealed: 'A'.repeat(64) }),
    JSON.stringify({ t: 'relay:deliver', from: 'peer-0000001' }),
  ];
  for (const raw of bad) assert.equal(parseChannelMessage(raw), null, String(raw).slice(0, 60));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('parseChannelMessage refuses what is no JSON object before JSON.parse reads it', (t) => {
  // 32 KB of nested arrays, or of many small values, costs JSON.parse far more than a message
  // of that size: every message is an object, and it starts with its brace.
  const parse = t.mock.method(JSON, 'parse');
  for (const raw of [
    `${'['.repeat(16_000)}${']'.repeat(16_000)}`,
    `[${Array.from({ length: 2_900 }, () => '{"a":1}').join(',')}]`,
    ' {"t":"ping","n":1}',
  ])
    assert.equal(parseChannelMessage(raw), null);
  assert.equal(parse.mock.callCount(), 0, 'not read at all');
  assert.deepEqual(parseChannelMessage('{"t":"ping","n":1}'), { t: 'ping', n: 1 });
});
