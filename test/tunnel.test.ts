// --tunnel's lifecycle with a stand-in for the localtunnel client: the link is printed when
// the tunnel opens; a drop or a failed open is retried with backoff and the new link printed;
// close() stops everything. (e2e/tunnel.spec.ts runs the real client against a real server.)

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { type LocalTunnel, type LocalTunnelOptions, startTunnel } from '../server/tunnel.ts';

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
  assert.match(lines[0] ?? '', /tunnel open: share http:\/\/t0\.example\//);

  opened[0]?.emit('error', new Error('connection refused: 127.0.0.1:40000'));
  opened[0]?.emit('error', new Error('connection refused: 127.0.0.1:40000')); // one drop, not two
  assert.equal(tunnel.url, null);
  assert.equal(opened[0]?.closed, true);
  await until(() => tunnel.url === 'http://t1.example');
  assert.deepEqual(
    lines.map((line) => line.replace(/[:;].*/, '')),
    [
      'roomlink tunnel open',
      'roomlink tunnel dropped (connection refused',
      'roomlink tunnel could not open (tunnel server said no)',
      'roomlink tunnel open',
    ],
  );
  assert.match(lines[1] ?? '', /reopening in 1 s/);
  assert.match(lines[2] ?? '', /retrying in 2 s/);

  await tunnel.close();
  assert.equal(opened[1]?.closed, true);
  assert.equal(lines.length, 4, 'closing is not a drop: nothing reopened, nothing printed');
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
