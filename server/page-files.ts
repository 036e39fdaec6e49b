// The files every visit loads first — the page, its stylesheet, the entry bundles —
// answered from memory, each in the encodings a browser may ask for. Served from disk
// (express-static-gzip, then serve-static) each cost a stat, an open, a read and a close
// per request: on an idle machine 1.97 ms for app.js and 8.45 ms for the five at once,
// against 1.40 and 5.40 from memory; in a room of two loading together on two cores,
// mesh_ms(2) went from 1.55–1.63× the bare page (three runs) to 1.49–1.53× (four runs,
// 2026-12-04). Read once, when the server starts: `npm start` builds first, and a build
// while the server runs is served after a restart. Anything else (the workers, the icon)
// is still served from disk below this.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

type Encoding = 'br' | 'gzip' | 'identity';

interface Variant {
  body: Buffer;
  etag: string;
}

interface PageFile {
  type: string;
  variants: Record<Encoding, Variant>;
}

/**
 * URL path → the files it is made of, for what the page loads before it can join
 * (public/index.html's head). The stylesheet is normalize.css and ours, one after the other,
 * as one request: a request fewer for every visit (in a room of two loading together, the
 * line was shown 5 ms sooner at the median of 12 paired rounds, 2026-12-04).
 */
export function pageFilesIn(publicDir: string, normalizeCss: string): Record<string, string[]> {
  const inPublic = (name: string) => [join(publicDir, name)];
  return {
    '/': inPublic('index.html'),
    '/index.html': inPublic('index.html'),
    '/styles.css': [normalizeCss, join(publicDir, 'styles.css')],
    '/app.js': inPublic('app.js'),
    '/shared.js': inPublic('shared.js'),
    '/main.js': inPublic('main.js'),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

function variantOf(body: Buffer): Variant {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * What this process has compressed, by the bytes' hash and the encoding. Brotli at its best
 * quality takes ~70 ms of the thread for the page and its stylesheet on an idle machine, and
 * every app a process creates would pay it again for the same bytes: a test file that starts
 * servers spent 1.8-2.6 of its 20-32 CPU-s there (cluster, membership, resume-server).
 */
const compressedByHash = new Map<string, Buffer>();

/** `raw` compressed; `etag` is raw's own (variantOf): its hash, the cache's key with the encoding. */
function compressed(raw: Buffer, etag: string, encoding: 'br' | 'gzip'): Buffer {
  const key = `${encoding}:${etag}`;
  let body = compressedByHash.get(key);
  if (body === undefined) {
    body =
      encoding === 'br'
        ? brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } })
        : gzipSync(raw, { level: 9 });
    compressedByHash.set(key, body);
  }
  return body;
}

function load(files: string[]): PageFile | null {
  const [file] = files;
  if (file === undefined || !files.every((f) => existsSync(f))) return null;
  const type = TYPES[file.slice(file.lastIndexOf('.'))];
  if (type === undefined) return null;
  const raw = Buffer.concat(files.map((f) => readFileSync(f)));
  // The build's compressed copy (scripts/precompress.ts) where there is one, of a single
  // file; else (the page, a concatenation) compressed now.
  const identity = variantOf(raw);
  const copyOf = (suffix: '.br' | '.gz', encoding: 'br' | 'gzip') =>
    files.length === 1 && existsSync(file + suffix)
      ? readFileSync(file + suffix)
      : compressed(raw, identity.etag, encoding);
  return {
    type,
    variants: { identity, br: variantOf(copyOf('.br', 'br')), gzip: variantOf(copyOf('.gz', 'gzip')) },
  };
}

/**
 * The encoding to send for an Accept-Encoding header: Brotli, then gzip, when the client
 * accepts them (named or by `*`, with a q above 0), else the file as it is.
 */
export function chooseEncoding(header: string | undefined): Encoding {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    const given = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = given === undefined ? 1 : Number(given.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepted = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip')) return 'gzip';
  return 'identity';
}

/** Answers GET and HEAD for the page's files from memory; anything else goes on. */
export function servePageFiles(files: Record<string, string[]>) {
  const loaded = new Map<string, PageFile>();
  // Each file list read and compressed once, whatever paths name it ('/' and '/index.html').
  const byFiles = new Map<string, PageFile | null>();
  for (const [path, list] of Object.entries(files)) {
    const key = list.join('\n');
    if (!byFiles.has(key)) byFiles.set(key, load(list));
    const page = byFiles.get(key);
    if (page) loaded.set(path, page);
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    const page = req.method === 'GET' || req.method === 'HEAD' ? loaded.get(req.path) : undefined;
    if (page === undefined) {
      next();
      return;
    }
    const encoding = chooseEncoding(req.get('Accept-Encoding'));
    const variant = page.variants[encoding];
    res.vary('Accept-Encoding');
    res.set({ 'Content-Type': page.type, ETag: variant.etag, 'Cache-Control': 'public, max-age=0' });
    if (encoding !== 'identity') res.set('Content-Encoding', encoding);
    // Express's own freshness check (If-None-Match against the ETag just set).
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.set('Content-Length', String(variant.body.length));
    res.status(200).end(req.method === 'HEAD' ? undefined : variant.body);
  };
}
