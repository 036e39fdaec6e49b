// A client that opens a connection and then sends its request slowly, or never finishes it,
// holds a socket of the server's: it is answered 408 and cut once its headers, or its whole
// request, take longer than the server allows (server/http-server.ts HTTP_TIMEOUTS, shortened
// here).
// A long-polling GET, whose answer waits for the next ping, is a response held, not a request:
// it is never cut.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { HTTP_TIMEOUTS } from '../server/http-server.ts';
import { pollingSession } from './hostile.ts';
import { closeAll, connectClient, joinOk, newRoomId, startServer } from './support.ts';

after(() => closeAll());

const TIMEOUTS = { headersMs: 300, requestMs: 800, checkEveryMs: 50 };

/** Writes `first` and nothing more, then reads what the server sends until it closes. */
function slowClient(port: number, first: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(first, 'latin1');
  });
}

test('the defaults are well under Node’s (60 s for headers, 300 s for a request)', () => {
  assert.ok(HTTP_TIMEOUTS.headersMs <= 10_000 && HTTP_TIMEOUTS.requestMs <= 30_000);
  assert.ok(HTTP_TIMEOUTS.checkEveryMs < HTTP_TIMEOUTS.headersMs);
});

test('headers never finished: answered 408 and cut; so is a body that never comes', async () => {
  const server = await startServer({}, { httpTimeouts: TIMEOUTS });
  const port = Number(new URL(server.url).port);
  const headers = await slowClient(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  assert.match(headers, /^HTTP\/1\.1 408/);
  // A long-polling session's POST, its body promised and never sent: Engine.IO reads it.
  const sid = await pollingSession(server.url);
  const body = await slowClient(
    port,
    `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n40`,
  );
  assert.match(body, /^HTTP\/1\.1 408/);
  // The server goes on serving.
  const client = await connectClient(server.url);
  await joinOk(client, newRoomId(), 'Still here');
});

test('a long-polling session whose GET waits past the request timeout for its ping is not cut', async () => {
  // Pings every 1.2 s: each long-polling GET waits that long for its answer, past requestMs.
  const server = await startServer(
    {},
    { httpTimeouts: TIMEOUTS, heartbeat: { pingIntervalMs: 1_200, pingTimeoutMs: 1_000 } },
  );
  const client = await connectClient(server.url, ['polling']);
  let pings = 0;
  await new Promise<void>((resolve) => {
    client.io.engine.on('ping', () => {
      if (++pings === 2) resolve();
    });
  });
  assert.equal(client.connected, true);
  assert.equal(client.io.engine.transport.name, 'polling');
  await joinOk(client, newRoomId(), 'Polling');
});
