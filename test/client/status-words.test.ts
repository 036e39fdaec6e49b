// What the page's status line says when the server keeps us out, or still holds our place
// (client/wiring/status.ts statusWords): a full room names its cap and that we are not in it;
// a wait for our earlier connection says so, for how long, and never "Server unreachable".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusWords } from '../../client/wiring/status.ts';

test('a full room: not in it, how many it holds, and that the page gets in by itself', () => {
  const words = statusWords('refused', {
    code: 'room_full',
    message: 'this room already has 3 members',
    maxRoomSize: 3,
  });
  assert.equal(
    words,
    'This room is full: it holds 3 members at most, and you are not in it. You will join by yourself as soon as someone leaves.',
  );
  // A server of an earlier build does not send the cap: its message says it.
  assert.match(
    statusWords('refused', { code: 'room_full', message: 'this room already has 3 members' }) ?? '',
    /^This room is full \(this room already has 3 members\), and you are not in it\./,
  );
});

test('other refusals say the server’s reason; one that waiting ends says the page tries again', () => {
  assert.equal(
    statusWords('refused', { code: 'rate_limited', message: 'too many room:join events; slow down' }),
    'You are not in this room yet: too many room:join events; slow down. Trying again by itself…',
  );
  assert.equal(
    statusWords('rejected', { code: 'invalid_name', message: 'name is empty' }),
    'Could not join: name is empty.',
  );
});

test('waiting for our earlier connection: the server answers, so it is not said to be unreachable', () => {
  const words = statusWords('reclaiming', {
    code: 'name_taken',
    message: 'your earlier connection still holds this name until it times out',
    retryAfterMs: 34_200,
  });
  assert.match(
    words ?? '',
    /^Rejoining: the server still counts your earlier connection as here, for up to 35 s more\./,
  );
  assert.doesNotMatch(words ?? '', /unreachable/i);
  // Another join taking our id back: the page's usual words for it (view/status-line.ts), no time.
  assert.equal(
    statusWords('reclaiming', { code: 'name_taken', message: 'x', retryAfterMs: 9_000, resuming: true }),
    undefined,
  );
  assert.equal(statusWords('joined'), undefined);
  assert.equal(statusWords('reconnecting'), undefined);
});
