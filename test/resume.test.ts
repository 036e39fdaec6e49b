// Resume tokens: a reconnecting tab gets its id back with the token it was given, and no
// token claims another id, another room, or survives a different secret.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { createResumeTokens, TICKET_LIFETIME_MS } from '../server/resume.ts';
import { createMemoryRevocations } from '../server/resume-revocations.ts';

const ROOM = 'room-0123456789abcdef';
const OTHER_ROOM = 'room-fedcba9876543210';
const SECRET = 'resume-secret-0123456789';

test('a token is base64url(expiry ‖ HMAC-SHA256(secret, "v2:roomId:peerId:expiry"))', () => {
  const now = 1_800_000_000_123;
  const ticket = createResumeTokens(SECRET, { lifetimeMs: 60_000 }).issue(ROOM, 'peer12345678', now);
  const expiry = Math.ceil((now + 60_000) / 1000);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(expiry);
  const mac = createHmac('sha256', SECRET).update(`v2:${ROOM}:peer12345678:${expiry}`).digest();
  assert.deepEqual(ticket, { id: 'peer12345678', token: Buffer.concat([head, mac]).toString('base64url') });
  assert.equal(ticket.token.length, 48);
});

test('a ticket works until its expiry, and not after', () => {
  const tokens = createResumeTokens(SECRET, { lifetimeMs: 60_000 });
  const issuedAt = 1_800_000_000_000;
  const ticket = tokens.issue(ROOM, 'peer12345678', issuedAt);
  assert.equal(tokens.verify(ROOM, ticket, issuedAt), true);
  assert.equal(tokens.verify(ROOM, ticket, issuedAt + 59_999), true);
  assert.equal(tokens.verify(ROOM, ticket, issuedAt + 60_000), false);
  assert.equal(tokens.verify(ROOM, ticket, issuedAt + 10 * 60_000), false);
  assert.equal(createResumeTokens(SECRET).lifetimeMs, TICKET_LIFETIME_MS);
});

test('an expiry pushed forward by hand breaks the MAC', () => {
  const tokens = createResumeTokens(SECRET, { lifetimeMs: 60_000 });
  const issuedAt = 1_800_000_000_000;
  const bytes = Buffer.from(tokens.issue(ROOM, 'peer12345678', issuedAt).token, 'base64url');
  bytes.writeUInt32BE(bytes.readUInt32BE(0) + 3600, 0);
  const stretched = { id: 'peer12345678', token: bytes.toString('base64url') };
  assert.equal(tokens.verify(ROOM, stretched, issuedAt + 120_000), false);
  assert.equal(tokens.verify(ROOM, stretched, issuedAt), false);
});

test('revocations: a revoked id in one room, nothing else', async () => {
  const revocations = createMemoryRevocations(60_000);
  await revocations.revoke(ROOM, 'peer12345678');
  assert.equal(await revocations.revoked(ROOM, 'peer12345678'), true);
  assert.equal(await revocations.revoked(OTHER_ROOM, 'peer12345678'), false);
  assert.equal(await revocations.revoked(ROOM, 'peer87654321'), false);
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
