// The page's first files from memory (server/page-files.ts): the encoding each browser asks
// for, conditional requests, HEAD, the security headers as on any response; everything else
// still from disk. The build's compressed copies byte for byte: hardening.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { chooseEncoding } from '../server/page-files.ts';
import { closeAll, startServer } from './support.ts';

after(closeAll);

test('Brotli, then gzip, when accepted by name or by *, with a q above 0; else the file as it is', () => {
  assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(chooseEncoding('gzip'), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(chooseEncoding('BR;Q=0.2'), 'br');
  assert.equal(chooseEncoding('*'), 'br');
  assert.equal(chooseEncoding('*;q=0'), 'identity');
  assert.equal(chooseEncoding('gzip;q=nonsense'), 'identity');
  assert.equal(chooseEncoding('identity'), 'identity');
  assert.equal(chooseEncoding(''), 'identity');
  assert.equal(chooseEncoding(undefined), 'identity');
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(url: string, headers: Record<string, string>, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (chunk: Buffer) => chunks.push(chunk));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

test('the page and its first files come from memory, with ETags, 304s, HEAD and the security headers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'roomlink-public-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const page = '<!doctype html><title>room</title>';
  writeFileSync(join(dir, 'index.html'), page);
  writeFileSync(join(dir, 'app.js'), 'export {};\n');
  writeFileSync(join(dir, 'hash-worker.js'), 'self.onmessage = () => {};\n');
  const server = await startServer({}, { publicDir: dir });

  const first = await raw(`${server.url}/?roomId=abc`, { 'Accept-Encoding': 'gzip, br' });
  assert.equal(first.status, 200);
  assert.equal(first.headers['content-encoding'], 'br');
  assert.match(String(first.headers['content-type']), /^text\/html/);
  assert.match(String(first.headers.vary), /Accept-Encoding/i);
  assert.match(String(first.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(brotliDecompressSync(first.body).toString(), page);
  const etag = String(first.headers.etag);
  assert.match(etag, /^"[\w-]+"$/);

  // Asked again with its ETag: not modified, no body.
  const again = await raw(`${server.url}/`, { 'Accept-Encoding': 'gzip, br', 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // Another encoding is another representation: its own ETag, so the first does not match.
  const plain = await raw(`${server.url}/`, { 'Accept-Encoding': 'identity', 'If-None-Match': etag });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), page);

  const head = await raw(`${server.url}/app.js`, { 'Accept-Encoding': 'identity' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String(Buffer.byteLength('export {};\n')));
  assert.equal(head.body.length, 0);

  // Not one of the page's first files: from disk, as before.
  const worker = await raw(`${server.url}/hash-worker.js`, { 'Accept-Encoding': 'identity' });
  assert.equal(worker.status, 200);
  assert.equal(worker.body.toString(), 'self.onmessage = () => {};\n');
  // Another method is not answered from memory.
  assert.equal((await raw(`${server.url}/app.js`, { 'Accept-Encoding': 'br' }, 'POST')).status, 405);
});
