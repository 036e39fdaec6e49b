// The page's signaling client (client/signaling.ts, run here in Node against a real server)
// after a network change: its old connection still looks alive, so the server refuses our
// resume with name_taken and a retryAfterMs. The client waits that long and sends the same
// join again, and gets its own id and name back, never a variant ("Alice 2").
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createSignaling, type JoinedAck, type SignalingStatus } from '../client/signaling.ts';
import { closeAll, connectClient, HEARTBEAT, joinOk, newRoomId, silence, startServer } from './support.ts';

afterEach(closeAll);

/** Generous: a deadline on a shared machine, not a speed bound. */
const JOIN_DEADLINE_MS = 20_000;

test('after a network change the page waits out its own ghost and keeps its id and name', async (t) => {
  const server = await startServer({}, { heartbeat: HEARTBEAT });
  const room = newRoomId();
  // The page's connection before the network change: it stops answering, but has not yet
  // missed its heartbeat.
  const before = await connectClient(server.url);
  const ack = await joinOk(before, room, 'Alice');
  silence(before);

  const statuses: SignalingStatus[] = [];
  let namesOffered = 0;
  const joined = new Promise<JoinedAck>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not joined; statuses ${statuses.join(', ')}`)), JOIN_DEADLINE_MS);
    const signaling = createSignaling({ roomId: room, name: () => 'Alice', resume: () => ack.resume, url: server.url });
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
        onStatus(status) {
          statuses.push(status);
        },
      },
      () => 'Alice',
    );
  });

  const back = await joined;
  assert.deepEqual(back.self, { id: ack.self.id, name: 'Alice' });
  assert.equal(namesOffered, 0, 'no other name was asked for');
  // It was refused at first and waited (shown as reconnecting), then joined.
  assert.deepEqual(statuses, ['reconnecting', 'joined']);
});
