// Hostile input, in bulk: several sockets send hundreds of malformed, oversized, wrongly
// typed, replayed and out-of-order events, and raw HTTP requests arrive malformed in every
// way we could think of — while two well-behaved peers in another room keep signaling. The
// server must answer every bad event with an error (or close that one connection, for a
// protocol violation), never crash, never answer 5xx, and the real room must not lose one
// signal. Runs with the default rate limits; the attackers come from their own addresses.

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { parseConfig } from '../server/config.ts';
import { attacker, attackHttp, attackSockets } from './hostile.ts';
import { assertStillServing, closeAll, joinOk, newRoomId, startServer, until } from './support.ts';

afterEach(closeAll);

const ATTACKERS = 4;
const EVENTS_PER_ATTACKER = 160;
const GOOD_SIGNALS = 40;

test('hundreds of hostile events and requests: every one answered, nothing crashes, the real room is untouched', async () => {
  const defaults = parseConfig({}, []);
  assert.equal(defaults.kind, 'config');
  if (defaults.kind !== 'config') return;
  const { rateJoinSocket, rateJoinIp, rateSignalSocket, rateSignalIp, rateIceSocket, rateIceIp, rateConnectIp } =
    defaults.config;
  const server = await startServer({
    rateJoinSocket,
    rateJoinIp,
    rateSignalSocket,
    rateSignalIp,
    rateIceSocket,
    rateIceIp,
    rateConnectIp,
    // Attackers appear as distinct addresses (as they would be), through a trusted proxy.
    trustProxy: ['loopback'],
  });
  const port = Number(new URL(server.url).port);

  // The real room: two peers exchanging signals for the whole run.
  const room = newRoomId();
  const alice = await attacker(server.url, '192.0.2.1');
  const bob = await attacker(server.url, '192.0.2.2');
  const ackA = await joinOk(alice, room, 'Alice');
  const ackB = await joinOk(bob, room, 'Bob');
  const atAlice: string[] = [];
  const atBob: string[] = [];
  alice.on('signal', (s) => atAlice.push(`${s.from}:${s.description?.sdp ?? ''}`));
  bob.on('signal', (s) => atBob.push(`${s.from}:${s.description?.sdp ?? ''}`));
  const sentToAlice: string[] = [];
  const sentToBob: string[] = [];
  let attacking = true;
  const chatter = (async () => {
    for (let i = 0; attacking || i < GOOD_SIGNALS; i += 1) {
      const sdp = `v=0\r\ns=${i}\r\n`;
      bob.emit('signal', { to: ackA.self.id, description: { type: 'offer', sdp } });
      alice.emit('signal', { to: ackB.self.id, description: { type: 'answer', sdp } });
      sentToAlice.push(`${ackB.self.id}:${sdp}`);
      sentToBob.push(`${ackA.self.id}:${sdp}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();

  // The attackers, each on its own address, reconnecting whenever a violation closes them;
  // meanwhile, raw HTTP garbage, a few times over.
  const [{ answered, closes }, statuses] = await Promise.all([
    attackSockets(server.url, { attackers: ATTACKERS, eventsPerAttacker: EVENTS_PER_ATTACKER, victimId: ackA.self.id }),
    attackHttp(port, 3),
  ]);
  attacking = false;
  await chatter;
  await until(() => atAlice.length >= sentToAlice.length && atBob.length >= sentToBob.length, 'last signals');

  assert.ok(answered >= 500, `${answered} hostile events`);
  assert.ok(closes > 0);
  assert.ok(statuses.length >= 100, `${statuses.length} requests`);
  const fivexx = statuses.filter((s) => s >= 500);
  assert.deepEqual(fivexx, [], 'no request may cause a server error');
  assert.ok(statuses.filter((s) => s >= 400 && s < 500).length > statuses.length / 2);

  // The real room got every signal, in order, stamped with the right sender, and nothing else.
  assert.deepEqual(atAlice, sentToAlice);
  assert.deepEqual(atBob, sentToBob);
  assert.ok(alice.connected && bob.connected);
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  alice.close();
  bob.close();
  await assertStillServing(server.url);
});
