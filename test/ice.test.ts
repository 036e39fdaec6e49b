// ICE servers for a peer: STUN as configured, TURN with coturn's REST credentials (checked
// against an independent HMAC-SHA1) or static ones.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { buildIceServers, type IceSettings } from '../server/ice.ts';

const base: IceSettings = { stunUrls: [], turnUrls: [], turnTtl: 3600 };
const NOW_MS = 1_700_000_000_500;

test('no servers configured: an empty list that never expires', () => {
  assert.deepEqual(buildIceServers(base, 'peer12345678', NOW_MS), { iceServers: [], iceExpiresAt: 0 });
});

test('STUN URLs are passed through as they are', () => {
  const grant = buildIceServers({ ...base, stunUrls: ['stun:127.0.0.1:3478', 'stun:[::1]'] }, 'p', NOW_MS);
  assert.deepEqual(grant, { iceServers: [{ urls: ['stun:127.0.0.1:3478', 'stun:[::1]'] }], iceExpiresAt: 0 });
});

test('TURN REST credentials: expiry:peerId signed with HMAC-SHA1, base64', () => {
  const settings: IceSettings = {
    ...base,
    turnUrls: ['turn:127.0.0.1:3478?transport=udp'],
    turnSecret: 'coturn-secret-0123456789',
    turnTtl: 600,
  };
  const grant = buildIceServers(settings, 'peer12345678', NOW_MS);
  const expiry = 1_700_000_000 + 600;
  assert.equal(grant.iceExpiresAt, expiry);
  const [turn] = grant.iceServers;
  assert.ok(turn);
  assert.equal(turn.username, `${expiry}:peer12345678`);
  const independent = createHmac('sha1', 'coturn-secret-0123456789')
    .update(`${expiry}:peer12345678`, 'utf8')
    .digest('base64');
  assert.equal(turn.credential, independent);
  assert.deepEqual(turn.urls, ['turn:127.0.0.1:3478?transport=udp']);
  assert.ok(!JSON.stringify(grant).includes('coturn-secret-0123456789'), 'the shared secret must not leave the server');
});

test('each peer gets its own TURN username', () => {
  const settings: IceSettings = { ...base, turnUrls: ['turn:h'], turnSecret: 'coturn-secret-0123456789' };
  const a = buildIceServers(settings, 'peerAAAAAAAA', NOW_MS).iceServers[0];
  const b = buildIceServers(settings, 'peerBBBBBBBB', NOW_MS).iceServers[0];
  assert.notEqual(a?.username, b?.username);
  assert.notEqual(a?.credential, b?.credential);
});

test('static TURN credentials are handed out unchanged and never expire', () => {
  const settings: IceSettings = {
    ...base,
    stunUrls: ['stun:h'],
    turnUrls: ['turns:h:5349'],
    turnUsername: 'user',
    turnCredential: 'pass',
  };
  assert.deepEqual(buildIceServers(settings, 'p', NOW_MS), {
    iceServers: [{ urls: ['stun:h'] }, { urls: ['turns:h:5349'], username: 'user', credential: 'pass' }],
    iceExpiresAt: 0,
  });
});
