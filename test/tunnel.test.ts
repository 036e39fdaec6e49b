// --tunnel's lifecycle with a stand-in for the localtunnel client: the link is printed when
// the tunnel opens; a drop or a failed open is retried with backoff and the new link printed;
// close() stops everything. Then the real client against tunnel servers on 127.0.0.1 that
// refuse, say no, never answer, or open: each failure said at once, in plain words.
// (e2e/tunnel.spec.ts runs the real client against a real localtunnel server.)

import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { type LocalTunnel, type LocalTunnelOptions, startTunnel } from '../server/tunnel.ts';
import { describeNetworkError } from '../server/tunnel-open.ts';
import { freePort } from './redis-support.ts';

class FakeTunnel extends EventEmitter implements LocalTunnel {
  closed = false;
  constructor(public url: string) {
    super();
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

function until(check: () => boolean, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

test('prints the link, reopens after a drop and after a failed open, and stops on close', async () => {
  const lines: string[] = [];
  const asked: LocalTunnelOptions[] = [];
  const opened: FakeTunnel[] = [];
  const script: Array<'ok' | 'fail'> = ['ok', 'fail', 'ok'];
  const tunnel = startTunnel({
    port: 3000,
    listenHost: '0.0.0.0',
    tunnelHost: 'http://127.0.0.1:3300/',
    subdomain: 'roomlink-test',
    print: (line) => lines.push(line),
    open: async (options) => {
      asked.push(options);
      if (script.shift() === 'fail') throw new Error('tunnel server said no');
      const fake = new FakeTunnel(`http://t${opened.length}.example`);
      opened.push(fake);
      return fake;
    },
  });

  await until(() => tunnel.url === 'http://t0.example');
  assert.deepEqual(asked[0], { port: 3000, host: 'http://127.0.0.1:3300', subdomain: 'roomlink-test' });
  assert.equal(lines[0], 'roomlink tunnel opening through http://127.0.0.1:3300');
  assert.match(lines[1] ?? '', /tunnel open: share http:\/\/t0\.example\//);

  opened[0]?.emit('error', new Error('connection refused: 127.0.0.1:40000'));
  opened[0]?.emit('error', new Error('connection refused: 127.0.0.1:40000')); // one drop, not two
  assert.equal(tunnel.url, null);
  assert.equal(opened[0]?.closed, true);
  await until(() => tunnel.url === 'http://t1.example');
  assert.deepEqual(
    lines.slice(1).map((line) => line.replace(/;.*/, '')),
    [
      'roomlink tunnel open: share http://t0.example/ (anyone with the link can join a room)',
      'roomlink tunnel dropped: connection refused: 127.0.0.1:40000',
      'roomlink tunnel could not open: tunnel server said no',
      'roomlink tunnel open: share http://t1.example/ (anyone with the link can join a room)',
    ],
  );
  assert.match(lines[2] ?? '', /reopening in 1 s/);
  assert.match(lines[3] ?? '', /retrying in 2 s/);

  await tunnel.close();
  assert.equal(opened[1]?.closed, true);
  assert.equal(lines.length, 5, 'closing is not a drop: nothing reopened, nothing printed');
});

test('a loopback or wildcard listener is reached as localhost, keeping the Host header', async () => {
  for (const [listenHost, expected] of [
    ['0.0.0.0', undefined],
    ['127.0.0.1', undefined],
    ['10.1.2.3', '10.1.2.3'],
  ] as const) {
    let seen: LocalTunnelOptions | undefined;
    const tunnel = startTunnel({
      port: 1,
      listenHost,
      print: () => {},
      open: async (options) => {
        seen = options;
        return new FakeTunnel('http://x.example');
      },
    });
    await until(() => seen !== undefined);
    assert.equal(seen?.local_host, expected);
    assert.equal(seen?.host, undefined, 'no --tunnel-host: the public service');
    assert.equal(seen?.subdomain, undefined, 'the public service picks a subdomain');
    await tunnel.close();
  }
});

async function listening<T extends Server | HttpServer>(server: T): Promise<{ server: T; port: number }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * Starts the real client against `tunnelHost` and waits for its first line after the one
 * saying where it opens. The open timeout is far longer than any answer here takes on
 * loopback, so a line about it means the real cause was not seen.
 */
async function firstOutcome(
  tunnelHost: string,
  openTimeoutMs = 4_000,
): Promise<{ lines: string[]; close: () => Promise<void> }> {
  const lines: string[] = [];
  const tunnel = startTunnel({
    port: 1,
    listenHost: '127.0.0.1',
    tunnelHost,
    subdomain: 'roomlink-test',
    print: (line) => lines.push(line),
    openTimeoutMs,
  });
  await until(() => lines.length >= 2);
  return { lines, close: () => tunnel.close() };
}

test('a tunnel server that refuses the connection is said at once, by name and code, and retried', async () => {
  const port = await freePort(); // listened on, then closed: nothing listens there
  const { lines, close } = await firstOutcome(`http://127.0.0.1:${port}`);
  await close();
  assert.equal(lines[0], `roomlink tunnel opening through http://127.0.0.1:${port}`);
  assert.equal(
    lines[1],
    `roomlink tunnel could not open: connection refused by 127.0.0.1:${port}, nothing listens there (ECONNREFUSED); retrying in 1 s`,
  );
  assert.equal(lines.length, 2, 'closed: no retry after it');
});

test("a tunnel server's refusal to open is said with its status and message", async () => {
  const { server, port } = await listening(
    createHttpServer((_, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Invalid subdomain.' }));
    }),
  );
  try {
    const { lines, close } = await firstOutcome(`http://127.0.0.1:${port}`);
    await close();
    assert.equal(
      lines[1],
      'roomlink tunnel could not open: the tunnel server answered 403: Invalid subdomain.; retrying in 1 s',
    );
  } finally {
    server.close();
  }
});

test("a tunnel server's answer that is no localtunnel one (a port out of range, a million connections) is refused and retried: the server goes on", async () => {
  for (const [answer, said] of [
    [{ url: 'https://x.example', port: 70_000 }, 'port 1–65535'],
    [{ url: 'https://x.example', port: 1.5 }, 'port 1–65535'],
    [{ url: 'javascript:alert(1)', port: 1 }, 'http(s) url'],
    [{ url: 'https://x.example', port: 1, max_conn_count: 1_000_000 }, 'asks for 1000000 connections'],
  ] as const) {
    const { server, port } = await listening(
      createHttpServer((_, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      }),
    );
    try {
      const { lines, close } = await firstOutcome(`http://127.0.0.1:${port}`);
      await close();
      assert.match(
        lines[1] ?? '',
        new RegExp(`^roomlink tunnel could not open: .*${said.replace(/[()]/g, '\\$&')}.*; retrying in 1 s$`),
      );
    } finally {
      server.close();
    }
  }
});

test('a tunnel server that takes the connection and never answers is given up on after the open timeout', async () => {
  const sockets: Socket[] = [];
  let askedHungUp = false;
  const { server, port } = await listening(
    createTcpServer((socket) => {
      if (sockets.length === 0) socket.on('close', () => (askedHungUp = true));
      sockets.push(socket);
      socket.resume(); // read the request, never answer it
    }),
  );
  try {
    const { lines, close } = await firstOutcome(`http://127.0.0.1:${port}`, 500);
    await close();
    assert.equal(
      lines[1],
      'roomlink tunnel could not open: no answer from the tunnel server in 0.5 s; retrying in 1 s',
    );
    // The request given up on is not left open.
    await until(() => askedHungUp);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

test("a tunnel server's answer opens the tunnel through the localtunnel client: the link is printed", async () => {
  // The tunnel server's side of the tunnel: the client connects here and waits for visitors.
  const { server: remote, port: remotePort } = await listening(createTcpServer());
  let asked = '';
  const { server, port } = await listening(
    createHttpServer((request, response) => {
      asked = request.url ?? '';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'roomlink-test',
          port: remotePort,
          max_conn_count: 1,
          url: 'http://roomlink-test.lt.test',
        }),
      );
    }),
  );
  const connected = once(remote, 'connection');
  try {
    const { lines, close } = await firstOutcome(`http://127.0.0.1:${port}`);
    await connected;
    await close();
    assert.equal(asked, '/roomlink-test');
    assert.equal(
      lines[1],
      'roomlink tunnel open: share http://roomlink-test.lt.test/ (anyone with the link can join a room)',
    );
  } finally {
    remote.close();
    server.close();
  }
});

test('network errors are said in plain words with their code; others as they are', () => {
  const fetchFailed = (cause: object) => new TypeError('fetch failed', { cause });
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND localtunnel.me'), { code: 'ENOTFOUND' });
  assert.equal(
    describeNetworkError(fetchFailed(dns), 'https://localtunnel.me/?new'),
    'no address found for localtunnel.me: no internet or DNS, or a mistyped name (ENOTFOUND)',
  );
  const both = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:9'), { code: 'ECONNREFUSED' })]);
  assert.equal(
    describeNetworkError(fetchFailed(both), 'http://localhost:9/x'),
    'connection refused by localhost:9, nothing listens there (ECONNREFUSED)',
  );
  const odd = Object.assign(new Error('something else'), { code: 'EWHATEVER' });
  assert.equal(describeNetworkError(fetchFailed(odd), 'http://a.test/'), 'something else (EWHATEVER)');
  assert.equal(
    describeNetworkError(new Error('connection refused: 1.2.3.4:5 (check your firewall settings)')),
    'connection refused: 1.2.3.4:5 (check your firewall settings)',
  );
});
