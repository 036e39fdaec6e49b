// What a connection keeps for its life (memory per socket, README): not its upgrade request
// (server/upgrade-response.ts) nor Socket.IO's handshake record (server/engine-connections.ts),
// and its session still ends when the WebSocket does.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { peerAddress, roomAddress } from '../server/rooms.ts';
import {
  type Client,
  closeAll,
  connectClient,
  joinOk,
  newRoomId,
  startServer,
  type TestServer,
  until,
} from './support.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

after(closeAll);

/** Each upgrade request the server is handed from now on, held weakly. */
function watchUpgrades(server: TestServer): Array<WeakRef<IncomingMessage>> {
  const seen: Array<WeakRef<IncomingMessage>> = [];
  server.app.httpServer.prependListener('upgrade', (req: IncomingMessage) => {
    seen.push(new WeakRef(req));
  });
  return seen;
}

async function collected(refs: ReadonlyArray<WeakRef<object>>): Promise<boolean> {
  // Two turns first: whatever the upgrade scheduled (ws's, Socket.IO's) has run.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return refs.every((ref) => ref.deref() === undefined);
}

test('a joined WebSocket connection does not keep its upgrade request', async () => {
  const server = await startServer();
  const upgrades = watchUpgrades(server);
  const client = await connectClient(server.url);
  await joinOk(client, newRoomId(), 'Ada');
  assert.equal(upgrades.length, 1);
  // Engine.IO's stand-in response kept it (~1.9 KB a socket with it) through a listener on
  // the TCP socket, for as long as the connection lasts.
  assert.equal(await collected(upgrades), true);
  assert.equal(client.connected, true);
  // ws's own 'close' listener is still there: the session ends with the WebSocket.
  client.disconnect();
  await until(() => server.app.io.engine.clientsCount === 0, 'the session to end');
});

test('a long-polling session upgraded to WebSocket does not keep its upgrade request', async () => {
  const server = await startServer();
  const upgrades = watchUpgrades(server);
  const client = await connectClient(server.url, ['polling', 'websocket']);
  await until(() => client.io.engine.transport.name === 'websocket', 'the upgrade');
  await joinOk(client, newRoomId(), 'Grace');
  assert.equal(upgrades.length, 1);
  assert.equal(await collected(upgrades), true);
  assert.equal(client.connected, true);
  client.disconnect();
  await until(() => server.app.io.engine.clientsCount === 0, 'the session to end');
});

test("a joined socket does not keep Socket.IO's handshake record", async () => {
  const server = await startServer();
  const built: Array<WeakRef<object>> = [];
  // Namespace middleware runs with the socket made and before 'connection'.
  server.app.io.use((socket, next) => {
    built.push(new WeakRef(socket.handshake));
    next();
  });
  const clients = await Promise.all([connectClient(server.url), connectClient(server.url)]);
  const roomId = newRoomId();
  await joinOk(clients[0] as Client, roomId, 'Ada');
  await joinOk(clients[1] as Client, roomId, 'Grace');
  assert.equal(built.length, 2);
  // Each was ~0.3 KB (headers, query, URL, auth, the time as a string), kept with the socket.
  assert.equal(await collected(built), true);
});

test('a joined socket is in its room and its personal address, not in a room of its own id', async () => {
  const server = await startServer();
  const client = await connectClient(server.url);
  const room = newRoomId();
  const ack = await joinOk(client, room, 'Ada');
  const adapter = server.app.io.of('/').adapter;
  assert.deepEqual([...(adapter.sids.get(client.id ?? '') ?? [])].sort(), [
    peerAddress(room, ack.self.id),
    roomAddress(room),
  ]);
  assert.equal(adapter.rooms.has(client.id ?? ''), false);
});
