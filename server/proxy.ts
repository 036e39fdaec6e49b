// The client's address, for per-address rate limits and logs. X-Forwarded-For is believed
// only as far as Express's `trust proxy` says (TRUST_PROXY; off by default): a header any
// client can write is no address. This is proxy-addr's walk, used for Socket.IO requests,
// which do not pass through Express.
import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` (app.get('trust proxy fn')). */
export type TrustFn = (address: string, hop: number) => boolean;

/** Longest X-Forwarded-For we walk; a longer chain is someone's fabrication. */
const MAX_FORWARDED_HOPS = 16;

export function clientAddress(req: IncomingMessage, trust: TrustFn): string {
  const direct = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return direct;
  const forwarded = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .reverse()
    .slice(0, MAX_FORWARDED_HOPS);
  // Closest hop first: the socket's peer, then X-Forwarded-For from right to left. Walk
  // while the current hop is trusted; the first untrusted one is the client.
  const chain = [direct, ...forwarded];
  for (let i = 0; i < chain.length - 1; i += 1) {
    const hop = chain[i] ?? direct;
    if (!trust(hop, i)) return hop;
  }
  return chain.at(-1) ?? direct;
}
