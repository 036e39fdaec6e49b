// The WebSocket server Engine.IO runs (server/websocket-server.ts): a polite close that the
// peer never answers ends after the guard's grace, where ws's default waits 30 s. Under a
// real flood, through Socket.IO, in hostile-load.test.ts.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { mock, test } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import { CLOSE_GRACE_MS } from '../server/guard.ts';
import { GracefulWebSocketServer } from '../server/websocket-server.ts';
import { closeAll, startServer } from './support.ts';

/** A WebSocket client by hand that never answers a close frame; the server's side of it. */
async function silentPeer(server: WebSocketServer): Promise<{ client: Socket; ws: WebSocket }> {
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const accepted = once(server, 'connection') as Promise<[WebSocket]>;
  const client = connect(port, '127.0.0.1');
  client.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  client.on('error', () => {});
  client.resume(); // reading, so that it sees the server's end
  const [ws] = await accepted;
  return { client, ws };
}

/** Closes politely, then lets `ms` pass; whether the server's side is closed by then. */
async function closedAfter(server: WebSocketServer, ms: number): Promise<boolean> {
  const { client, ws } = await silentPeer(server);
  let closed = false;
  client.on('close', () => {
    closed = true;
  });
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    ws.close();
    mock.timers.tick(ms);
    // A destroyed socket's close reaches the client within a few turns of the event loop.
    for (let turn = 0; turn < 100 && !closed; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    return closed;
  } finally {
    mock.timers.reset();
    client.destroy();
    ws.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('a polite close the peer never answers is cut after the grace', async () => {
  assert.equal(
    await closedAfter(new GracefulWebSocketServer({ port: 0, host: '127.0.0.1' }), CLOSE_GRACE_MS - 1),
    false,
  );
  assert.equal(await closedAfter(new GracefulWebSocketServer({ port: 0, host: '127.0.0.1' }), CLOSE_GRACE_MS), true);
});

test('ws with its default close timeout would still be waiting after the grace', async () => {
  assert.equal(await closedAfter(new WebSocketServer({ port: 0, host: '127.0.0.1' }), CLOSE_GRACE_MS), false);
});

test('Engine.IO runs its WebSockets on it', async (t) => {
  const server = await startServer();
  t.after(closeAll);
  assert.ok((server.app.io.engine as unknown as { ws: unknown }).ws instanceof GracefulWebSocketServer);
});
