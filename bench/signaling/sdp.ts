// Synthetic but realistic signaling payloads: an SDP of the size Chromium sends for one
// data channel (~1.3 KB with the fingerprint, ICE credentials and SCTP lines), and host
// candidates as Chromium formats them. The server parses their shape and relays them; it
// never interprets SDP, so their content only has to be of the right size and form. Each
// carries its tag (tally.ts): an `a=x-bench-signal:` line in the SDP, an extension
// attribute at the end of the candidate (RFC 8839 allows unknown ones).
//
// Their random parts are cut from a pool of random text made once per process, at a random
// offset. Drawing fresh bytes from the system for each signal (`randomBytes`) took 17 % of a
// bot process's time in a 10k-socket join (CPU profile, 2026-12-03), on a machine whose two
// cores the bots share with the nodes and Redis: the load generator's own cost, not the
// relay's. The server never looks inside, so nothing it does depends on the bytes being fresh.
import { randomBytes } from 'node:crypto';
import { formatTag, type SignalTag } from './tally.ts';

export const CANDIDATES_PER_PEER = 3;

const POOL_CHARS = 64 * 1024;
const BASE64URL_POOL = randomBytes((POOL_CHARS * 3) / 4).toString('base64url');
const HEX_POOL = randomBytes(POOL_CHARS / 2)
  .toString('hex')
  .toUpperCase();

/** `length` characters of `pool` from a random offset (length ≤ the pool's). */
const cut = (pool: string, length: number): string => {
  const start = Math.floor(Math.random() * (pool.length - length + 1));
  return pool.slice(start, start + length);
};
/** `bytes` random bytes as upper-case hex pairs joined by ':' (a DTLS fingerprint). */
const hex = (bytes: number): string => cut(HEX_POOL, bytes * 2).replace(/(..)(?!$)/g, '$1:');
const token = (length: number): string => cut(BASE64URL_POOL, length);
/** A random unsigned integer below 2^bits (bits ≤ 53). */
const randomUint = (bits: number): number => Math.floor(Math.random() * 2 ** bits);

export function syntheticSdp(type: 'offer' | 'answer', tag: SignalTag): string {
  // Chromium's session ids are 63-bit; 53 random bits are as good for the relay.
  const session = String(randomUint(53));
  const lines = [
    'v=0',
    `o=- ${session} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${token(4)}`,
    `a=ice-pwd:${token(24)}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${hex(32)}`,
    `a=setup:${type === 'offer' ? 'actpass' : 'active'}`,
    'a=mid:0',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
    `a=x-bench-signal:${formatTag(tag)}`,
  ];
  // Padding to ~1.5 KB: what a description weighs once a few candidates are inline or an
  // app adds media sections; the relay's cost grows with the bytes, so err on the heavy side.
  lines.push(`a=x-bench-padding:${token(900)}`);
  return `${lines.join('\r\n')}\r\n`;
}

export function syntheticCandidate(
  n: number,
  tag: SignalTag,
): {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
  usernameFragment: string;
} {
  const priority = 2_122_260_223 - n * 256;
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  return {
    candidate: `candidate:${randomUint(32)} 1 udp ${priority} 10.77.${n}.${1 + (n % 2)} ${port} typ host generation 0 ufrag ${token(4)} network-id ${n + 1} x-bench-signal ${formatTag(tag)}`,
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: token(4),
  };
}
