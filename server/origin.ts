// Who may open a Socket.IO connection. Browsers send Origin on every WebSocket handshake and
// on cross-origin requests; a page on another site must not be able to drive a visitor's
// browser into our rooms. Allowed: no Origin at all (curl, node clients, and same-origin GETs
// of long-polling, which browsers send without one), the same origin (Origin's host equals
// the Host header), and the configured allowlist. Everything else gets 403.
import type { IncomingMessage } from 'node:http';

export type OriginVerdict = 'no_origin' | 'same_origin' | 'allowlisted' | 'forbidden';

/** allowed: origins as browsers send them (config-values.ts: `new URL(o).origin`), or ['*']. */
export function checkOrigin(req: IncomingMessage, allowed: readonly string[]): OriginVerdict {
  const origin = req.headers.origin;
  if (origin === undefined) return 'no_origin';
  const normalized = origin.trim().toLowerCase();
  if (allowed.includes('*') || allowed.includes(normalized)) return 'allowlisted';
  const host = req.headers.host;
  if (host === undefined) return 'forbidden';
  try {
    // Both through the URL parser, so that default ports and case compare equal
    // (http://a.example == Host a.example:80).
    const from = new URL(normalized);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return 'forbidden';
    const own = new URL(`${from.protocol}//${host.trim().toLowerCase()}`);
    return from.host === own.host && from.pathname === '/' && own.pathname === '/' ? 'same_origin' : 'forbidden';
  } catch {
    // 'null' (sandboxed frames, file://) and anything unparsable.
    return 'forbidden';
  }
}
