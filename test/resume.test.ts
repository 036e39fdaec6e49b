// Resume tokens: a reconnecting tab gets its id back with the token it was given, and no
// token claims another id, another room, or survives a different secret.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { createResumeTokens } from '../server/resume.ts';

const ROOM = 'room-0123456789abcdef';
const OTHER_ROOM = 'room-fedcba9876543210';
const SECRET = 'resume-secret-0123456789';

test('a token is HMAC-SHA256(secret, "roomId:peerId") in base64url', () => {
  const ticket = createResumeTokens(SECRET).issue(ROOM, 'peer12345678');
  const expected = createHmac('sha256', SECRET).update(`${ROOM}:peer12345678`).digest('base64url');
  assert.deepEqual(ticket, { id: 'peer12345678', token: expected });
});

test('an issued ticket verifies, also with another instance sharing the secret', () => {
  const ticket = createResumeTokens(SECRET).issue(ROOM, 'peer12345678');
  assert.equal(createResumeTokens(SECRET).verify(ROOM, ticket), true);
});

test('a ticket does not verify for another room, another id, or another secret', () => {
  const tokens = createResumeTokens(SECRET);
  const ticket = tokens.issue(ROOM, 'peer12345678');
  assert.equal(tokens.verify(OTHER_ROOM, ticket), false);
  assert.equal(tokens.verify(ROOM, { id: 'peer87654321', token: ticket.token }), false);
  assert.equal(createResumeTokens('another-secret-0123456789').verify(ROOM, ticket), false);
});

test('malformed tokens are refused without throwing', () => {
  const tokens = createResumeTokens(SECRET);
  const good = tokens.issue(ROOM, 'peer12345678').token;
  for (const token of [
    '',
    'short',
    good.slice(0, -1),
    `${good}A`,
    '!'.repeat(43),
    good.replace(/./, (c) => (c === 'A' ? 'B' : 'A')),
  ]) {
    assert.equal(tokens.verify(ROOM, { id: 'peer12345678', token }), false, token);
  }
});

test('only the canonical encoding of a token verifies', () => {
  const tokens = createResumeTokens(SECRET);
  const ticket = tokens.issue(ROOM, 'peer12345678');
  assert.equal(tokens.verify(ROOM, ticket), true);
  const variants = [
    `${ticket.token}=`,
    ` ${ticket.token}`,
    `${ticket.token.slice(0, 10)}.${ticket.token.slice(10)}`,
    ticket.token.replaceAll('-', '+').replaceAll('_', '/'),
    // The last character's unused low bits set: same bytes, another string.
    ticket.token.slice(0, -1) + String.fromCharCode(ticket.token.charCodeAt(ticket.token.length - 1) + 1),
  ].filter((token) => token !== ticket.token);
  for (const token of variants) assert.equal(tokens.verify(ROOM, { id: ticket.id, token }), false, token);
});
