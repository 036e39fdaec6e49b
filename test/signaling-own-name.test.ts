// The page's signaling client (client/signaling.ts, run here in Node against a real server)
// after a network change: its old connection still looks alive, so the server refuses our
// resume with name_taken and a retryAfterMs. The client waits that long and sends the same
// join again, and gets its own id and name back, never a variant ("Alice 2"). The same
// when another join's claim on its peer id stands (name_taken, resuming), on a real Redis.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { createClient } from '@redis/client';
import { createSignaling, type JoinedAck, type SignalingStatus } from '../client/signaling.ts';
import type { ResumeTicket } from '../protocol/signaling.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import { closeAll, connectClient, HEARTBEAT, joinOk, newRoomId, silence, startServer } from './support.ts';

afterEach(closeAll);

let redis: RedisProcess;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

/** Generous: a deadline on a shared machine, not a speed bound. */
const JOIN_DEADLINE_MS = 20_000;

/** The page's signaling client, joining `room` as Alice with `ticket`: until it joins, or is refused for good. */
function pageJoins(t: { after(fn: () => void): void }, url: string, room: string, ticket: ResumeTicket) {
  const statuses: SignalingStatus[] = [];
  let namesOffered = 0;
  const joined = new Promise<JoinedAck>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not joined; statuses ${statuses.join(', ')}`)), JOIN_DEADLINE_MS);
    const signaling = createSignaling({ roomId: room, name: () => 'Alice', resume: () => ticket, url });
    t.after(() => signaling.close());
    signaling.attach(
      {
        onJoined(joinAck) {
          clearTimeout(timer);
          resolve(joinAck);
        },
        onPeerJoined() {},
        onPeerLeft() {},
        onPeerRenamed() {},
        onNameTaken() {
          namesOffered += 1;
          return false;
        },
        onSignal() {},
        onStatus(status, error) {
          statuses.push(status);
          if (status !== 'rejected') return;
          clearTimeout(timer);
          reject(new Error(`refused: ${error?.code} ${error?.message}; statuses ${statuses.join(', ')}`));
        },
      },
      () => 'Alice',
    );
  });
  return { joined, statuses, namesOffered: () => namesOffered };
}

test('after a network change the page waits out its own ghost and keeps its id and name', async (t) => {
  const server = await startServer({}, { heartbeat: HEARTBEAT });
  const room = newRoomId();
  // The page's connection before the network change: it stops answering, but has not yet
  // missed its heartbeat.
  const before = await connectClient(server.url);
  const ack = await joinOk(before, room, 'Alice');
  silence(before);

  const page = pageJoins(t, server.url, room, ack.resume);
  const back = await page.joined;
  assert.deepEqual(back.self, { id: ack.self.id, name: 'Alice' });
  assert.equal(page.namesOffered(), 0, 'no other name was asked for');
  // It was refused at first and waited (shown as taking its place back, not as a server out of
  // reach: the server answers), then joined.
  assert.deepEqual(page.statuses, ['reclaiming', 'joined']);
});

test('a claim on its peer id left by a node that died mid-join: the page waits it out and keeps its id and name', async (t) => {
  const server = await startServer({ redisUrl: redis.url });
  const room = newRoomId();
  const before = await connectClient(server.url);
  const ack = await joinOk(before, room, 'Alice');
  before.disconnect();
  // Another node took the claim to resume Alice and died before it could end it: it stands
  // until it expires (here in 1.5 s; a claim lives at least 10 s).
  const raw = createClient({ url: redis.url });
  await raw.connect();
  await raw.set(`roomlink:{${room}}:resuming:${ack.self.id}`, 'a-socket-of-a-dead-node', { PX: 1_500 });
  await raw.quit();
  const startedAt = Date.now();
  const page = pageJoins(t, server.url, room, ack.resume);
  const back = await page.joined;
  assert.deepEqual(back.self, { id: ack.self.id, name: 'Alice' });
  assert.equal(page.namesOffered(), 0, 'no other name was asked for');
  assert.ok(Date.now() - startedAt >= 1_000, 'joined only once the claim was over');
  assert.equal(page.statuses.at(-1), 'joined');
});
