// The Express app: its settings and security headers (createWeb), and what it serves after
// the status endpoints (status-routes.ts): the page and the files under public/, compressed,
// with every refusal said in plain text (serveFiles). Owns no state of its own.
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { chooseEncoding, pageFilesIn, servePageFiles } from './page-files.ts';
import type { TrustFn } from './proxy.ts';
import { securityHeaders } from './security.ts';

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
const NORMALIZE_CSS = createRequire(import.meta.url).resolve('normalize.css/normalize.css');

/** The Express app with its settings, and the `trust proxy` it compiled (proxy.ts reads it). */
export function createWeb(config: Pick<Config, 'trustProxy'>): { web: Express; trust: TrustFn } {
  const web = express();
  web.disable('x-powered-by');
  // false by default: X-Forwarded-For is anyone's to write unless a proxy we trust sets it.
  web.set('trust proxy', config.trustProxy);
  const trust = web.get('trust proxy fn') as TrustFn;
  web.use(securityHeaders());
  return { web, trust };
}

/**
 * Everything after the status endpoints: only GET and HEAD, the page from memory, the other
 * files from `publicDir` (default ./public), then a 404, and errors in plain text.
 */
export function serveFiles(web: Express, { publicDir, logger }: { publicDir: string | undefined; logger: Logger }) {
  const dir = publicDir ?? PUBLIC_DIR;
  // Everything Express serves is read-only (Engine.IO takes /socket.io/ before it): any other
  // method is refused as one (405, or OPTIONS answered), not taken for a missing page (404).
  web.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.set('Allow', 'GET, HEAD');
    if (req.method === 'OPTIONS') res.status(204).end();
    else res.status(405).type('text/plain').send('Method not allowed\n');
  });
  // The page and what it loads first, from memory (page-files.ts).
  web.use(servePageFiles(pageFilesIn(dir, NORMALIZE_CSS)));
  // What is not compressed at build time is compressed per request; registered after
  // /healthz and /metrics, which stay plain for the tools that poll them.
  web.use(compression());
  // A path that does not decode is a bad request, answered below like any other (in plain
  // text); express-static-gzip would answer it itself, in HTML.
  web.use((req, _res, next) => {
    try {
      decodeURIComponent(req.path);
      next();
    } catch {
      next(Object.assign(new URIError('malformed URL path'), { status: 400 }));
    }
  });
  web.use(precompressedIn(dir));
  web.use(express.static(dir));
  web.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  web.use(plainTextErrors(logger));
}

/**
 * The bundles as the build compressed them (scripts/precompress.ts), for a browser that
 * accepts Brotli or gzip; every other file as it is on disk (express.static, after this),
 * compressed on the fly by compression(). express-static-gzip labels the response
 * (Content-Encoding) before it knows that the compressed file is there; when it is not (gone
 * since the server started), the request goes on to the plain file, and nothing else goes
 * out so labelled.
 */
function precompressedIn(dir: string) {
  const precompressed = expressStaticGzip(dir, { enableBrotli: true, orderPreference: ['br', 'gz'] });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // express-static-gzip takes a `*` for Brotli even beside `br;q=0` (the client refused
    // it): the encoding is chosen as for the page's files, and it is shown only that one.
    const encoding = chooseEncoding(req.get('Accept-Encoding'));
    if (encoding === 'identity') return next();
    req.headers['accept-encoding'] = encoding;
    precompressed(req, res, (error?: unknown) => {
      res.removeHeader('Content-Encoding');
      next(error);
    });
  };
}

/**
 * Malformed URLs (bad percent-encoding: 400) and the static files' refusals (a range past
 * the end: 416, a failed If-Match: 412) arrive here, each said in plain text; nothing
 * reaches the default handler, which would print a stack trace to the client in
 * development mode.
 */
function plainTextErrors(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) logger.error({ err: error, path: req.path }, 'http request failed');
    if (res.headersSent) return next(error);
    res
      .status(status)
      .type('text/plain')
      .send(status < 500 ? `${refusalText(status)}\n` : 'Internal error\n');
  };
}

/** A 4xx in words, as the status line says it ("Range not satisfiable"), not all "Bad request". */
function refusalText(status: number): string {
  const reason = STATUS_CODES[status] ?? 'Bad request';
  return reason.charAt(0) + reason.slice(1).toLowerCase();
}

function httpStatusOf(error: unknown): number {
  const status =
    typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : 500;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
