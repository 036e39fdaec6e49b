// What the HTTP side answers to requests a browser would not send, through a real listening
// server and raw sockets (fetch would tidy the requests up first): other methods, paths that
// climb out of public/ in every spelling, NUL bytes, oversized heads, ranges. Each gets a
// clear status; nothing outside public/ is ever sent; the server goes on serving.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertStillServing, closeAll, startServer, type TestServer } from './support.ts';

/** Beside public/, never to be served. */
const SECRET = 'not-for-anyone-0451';
const WORKER = 'self.onmessage = () => {};\n'.repeat(20);

let server: TestServer;
let port: number;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'roomlink-http-'));
  const publicDir = join(root, 'public');
  mkdirSync(publicDir);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(publicDir, '.secret'), SECRET);
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>room</title>');
  writeFileSync(join(publicDir, 'app.js'), 'export {};\n');
  writeFileSync(join(publicDir, 'hash-worker.js'), WORKER);
  server = await startServer({}, { publicDir });
  port = Number(new URL(server.url).port);
});

after(async () => {
  await closeAll();
  rmSync(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Sends `head` as written (request line, then header lines) and reads the answer to its end. */
function send(head: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = top.split('\r\n');
      const headers = new Map(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
      });
    });
    const [requestLine, ...headerLines] = head.split('\n');
    // Written, not ended: a client's early end of its side would cut the answer short.
    socket.write([requestLine, 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', ''].join('\r\n'), 'latin1');
  });
}

test('another method than GET or HEAD is refused as such: 405 with Allow, OPTIONS answered', async () => {
  for (const line of [
    'POST /healthz',
    'PUT /metrics',
    'DELETE /',
    'PATCH /app.js',
    'TRACE /',
    'PROPFIND /hash-worker.js',
  ]) {
    const answer = await send(`${line} HTTP/1.1\nContent-Length: 0`);
    assert.equal(answer.status, 405, line);
    assert.equal(answer.headers.get('allow'), 'GET, HEAD', line);
    assert.equal(answer.body, 'Method not allowed\n', line);
  }
  for (const target of ['/', '*', '/healthz']) {
    const answer = await send(`OPTIONS ${target} HTTP/1.1`);
    assert.equal(answer.status, 204, target);
    assert.equal(answer.headers.get('allow'), 'GET, HEAD', target);
  }
  // HEAD is GET without the body, everywhere.
  for (const path of ['/healthz', '/metrics', '/', '/hash-worker.js']) {
    const answer = await send(`HEAD ${path} HTTP/1.1`);
    assert.equal(answer.status, 200, path);
    assert.equal(answer.body, '', path);
  }
});

test('no spelling of a path out of public/ (nor a dotfile in it) is served', async () => {
  const targets = [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/.%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/app.js/..%2f..%2fsecret.txt',
    '//..%2fsecret.txt',
    '/%252e%252e%252fsecret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%00/../secret.txt',
    '/..%00/secret.txt',
    '/.secret',
    '/%2esecret',
    'http://127.0.0.1/../secret.txt',
  ];
  for (const target of targets) {
    const answer = await send(`GET ${target} HTTP/1.1`);
    assert.ok(answer.status >= 400 && answer.status < 500, `${target} → ${answer.status}`);
    assert.ok(!answer.body.includes(SECRET), `${target} sent the file`);
  }
});

test('NUL bytes, an oversized URL or header: a 4xx, in plain text, and the server goes on', async () => {
  for (const target of ['/app.js%00', '/app.js%00.png', '/%00', '/hash-worker.js%00.map']) {
    const answer = await send(`GET ${target} HTTP/1.1`);
    assert.equal(answer.status, 404, target);
    assert.equal(answer.body, 'Not found\n', target);
  }
  assert.equal((await send(`GET /${'a'.repeat(20_000)} HTTP/1.1`)).status, 431);
  assert.equal((await send(`GET / HTTP/1.1\nX-Big: ${'h'.repeat(20_000)}`)).status, 431);
  await assertStillServing(server.url);
});

test('ranges: a file from disk answers the bytes asked (206, 416 past its end); the page from memory answers whole', async () => {
  const part = await send('GET /hash-worker.js HTTP/1.1\nAccept-Encoding: identity\nRange: bytes=0-9');
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 0-9/${WORKER.length}`);
  assert.equal(part.body, WORKER.slice(0, 10));
  const past = await send('GET /hash-worker.js HTTP/1.1\nRange: bytes=99999-');
  assert.equal(past.status, 416);
  assert.equal(past.headers.get('content-range'), `bytes */${WORKER.length}`);
  assert.equal(past.body, 'Range not satisfiable\n');
  // A condition that fails is said as such too (each was "Bad request").
  const stale = await send('GET /hash-worker.js HTTP/1.1\nIf-Match: "another"');
  assert.equal(stale.status, 412);
  assert.equal(stale.body, 'Precondition failed\n');
  const nonsense = await send('GET /hash-worker.js HTTP/1.1\nAccept-Encoding: identity\nRange: apples=1-2');
  assert.equal(nonsense.status, 200);
  assert.equal(nonsense.body, WORKER);
  // The page's first files are answered from memory, where a range is ignored (as HTTP allows).
  const whole = await send('GET /app.js HTTP/1.1\nAccept-Encoding: identity\nRange: bytes=0-3');
  assert.equal(whole.status, 200);
  assert.equal(whole.body, 'export {};\n');
});
