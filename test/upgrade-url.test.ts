// An HTTP Upgrade's request target is whatever the client wrote: the server reads it without
// parsing it as a URL, so a target new URL() refuses cannot throw in the 'upgrade' listener
// (a throw there ended the process: one request took the server down).

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as tcp } from 'node:net';
import { afterEach, test } from 'node:test';
import { closeAll, connectClient, joinOk, newRoomId, startServer } from './support.ts';

afterEach(closeAll);

/** Targets Node's HTTP parser accepts and new URL(target, base) throws on. */
const UNPARSABLE_TARGETS = ['//a:99999/', '//[', '//%', 'http://a:99999/'];

/** Sends an Upgrade request for `target` on a socket of its own; resolves once it is written. */
async function sendUpgrade(port: number, target: string) {
  const socket = tcp(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(
    [
      `GET ${target} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  return socket;
}

test('an Upgrade request whose target is not a URL leaves the server serving', async () => {
  const server = await startServer();
  const { port } = new URL(server.url);
  for (const target of UNPARSABLE_TARGETS) {
    const socket = await sendUpgrade(Number(port), target);
    // Time for the request to reach the 'upgrade' listener (a throw there is uncaught).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200, `after an upgrade to ${target}`);
    socket.destroy();
  }
  const client = await connectClient(server.url);
  await joinOk(client, newRoomId(), 'After');
});
