// The server as an operator runs it (`npm start`: dist/server.mjs, built from server.ts): it
// logs where it listens (stdout holds JSON records only), answers, stops cleanly on SIGTERM
// with exit code 0, and refuses a bad configuration with exit code 1 and a message naming
// the setting.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { test } from 'node:test';
import { builtServer } from './built-server.ts';
import { until } from './support.ts';

const START_TIMEOUT_MS = 15_000;

function runServer(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [builtServer(), ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** stdout's lines, each parsed: every one must be a JSON log record. */
function records(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`a line of stdout is not JSON: ${line}`);
      }
    });
}

test('the server logs its URL, serves, and exits 0 on SIGTERM; everything on stdout is a JSON record', async (t) => {
  const server = runServer(['--port', '0', '--host', '127.0.0.1', '--secret', 'entry-test-secret-0123']);
  t.after(() => server.child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line: ${JSON.stringify(server.output())}`)),
      START_TIMEOUT_MS,
    );
    server.child.stdout.on('data', () => {
      const match = /roomlink listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output().stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  await until(() => server.output().stdout.includes('STUN for browsers'), 'the STUN line', START_TIMEOUT_MS);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
  // `node dist/server.mjs | jq` reads all of it; a person reads the messages.
  const messages = records(server.output().stdout).map((record) => record['msg']);
  assert.ok(messages.includes(`roomlink listening on ${url}`), JSON.stringify(messages));
  assert.ok(
    messages.includes('STUN for browsers: stun:stun.l.google.com:19302 (--stun-urls none turns it off)'),
    JSON.stringify(messages),
  );
  assert.ok(messages.includes('SIGTERM: shutting down'), JSON.stringify(messages));
  assert.equal(server.output().stderr, '');
});

test('at LOG_LEVEL=warn the node still says where it listens, and at silent it says nothing at all', async (t) => {
  const warn = runServer(['--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
    ROOMLINK_SECRET: 'entry-test-secret-0123',
  });
  t.after(() => warn.child.kill('SIGKILL'));
  await until(() => warn.output().stdout.includes('STUN for browsers'), 'the STUN line', START_TIMEOUT_MS);
  warn.child.kill('SIGTERM');
  assert.equal(await warn.exited, 0);
  const messages = records(warn.output().stdout).map((record) => String(record['msg']));
  assert.deepEqual(
    messages.map((message) => message.replace(/\d+$/, 'PORT')),
    [
      'roomlink listening on http://127.0.0.1:PORT',
      'STUN for browsers: stun:stun.l.google.com:19302 (--stun-urls none turns it off)',
      'SIGTERM: shutting down',
    ],
  );

  // Silent: a port of its own to find it by, since it will not say.
  const free = createServer();
  free.listen(0, '127.0.0.1');
  await once(free, 'listening');
  const { port } = free.address() as AddressInfo;
  free.close();
  await once(free, 'close');
  const silent = runServer(['--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent'], {
    ROOMLINK_SECRET: 'entry-test-secret-0123',
  });
  t.after(() => silent.child.kill('SIGKILL'));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (
    !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) assert.fail(`not serving: ${JSON.stringify(silent.output())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  silent.child.kill('SIGTERM');
  assert.equal(await silent.exited, 0);
  assert.deepEqual(silent.output(), { stdout: '', stderr: '' });
});

test('the server exits 1 on a bad configuration, naming the setting', async () => {
  const server = runServer(['--max-room-size', '1'], { PORT: 'eighty' });
  assert.equal(await server.exited, 1);
  const { stderr } = server.output();
  assert.match(stderr, /PORT/);
  assert.match(stderr, /--max-room-size/);
});

test('the server exits 1 at start when WIRE_LOG cannot be written, naming WIRE_LOG', async (t) => {
  const server = runServer(['--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], {
    WIRE_LOG: '/nonexistent-roomlink-dir/wire.jsonl',
  });
  t.after(() => server.child.kill('SIGKILL'));
  // It used to start, and die at the first request it tried to log.
  const code = await Promise.race([
    server.exited,
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), START_TIMEOUT_MS).unref()),
  ]);
  assert.equal(code, 1, JSON.stringify(server.output()));
  assert.match(server.output().stderr, /WIRE_LOG: cannot open ".*" for appending \(ENOENT\)/);
});

test('the server exits 1 with one line naming HOST and PORT when the port is taken, no stack trace', async (t) => {
  const taken = createServer();
  taken.listen(0, '127.0.0.1');
  await once(taken, 'listening');
  t.after(() => taken.close());
  const { port } = taken.address() as AddressInfo;
  const server = runServer(['--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent'], {
    ROOMLINK_SECRET: 'entry-test-secret-0123',
  });
  t.after(() => server.child.kill('SIGKILL'));
  assert.equal(await server.exited, 1);
  const { stdout, stderr } = server.output();
  assert.equal(
    stderr,
    `roomlink: cannot listen on 127.0.0.1:${port} (EADDRINUSE): check HOST and PORT\n`,
    JSON.stringify({ stdout, stderr }),
  );
  assert.doesNotMatch(stdout, /\n\s+at /);
});

test('the server says at start which settings it was given do nothing, and serves', async (t) => {
  const server = runServer(['--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
    ROOMLINK_SECRET: 'entry-test-secret-0123',
    TUNNEL_HOST: 'https://lt.example.org',
  });
  t.after(() => server.child.kill('SIGKILL'));
  await until(() => server.output().stdout.includes('STUN for browsers'), 'listening', START_TIMEOUT_MS);
  assert.equal(
    server.output().stderr,
    'roomlink: warning: TUNNEL_HOST (--tunnel-host) is set but TUNNEL (--tunnel) is off: no tunnel is opened\n',
  );
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
});

test('the server --help prints usage and exits 0', async () => {
  const server = runServer(['--help']);
  assert.equal(await server.exited, 0);
  assert.match(server.output().stdout, /--max-room-size/);
});
