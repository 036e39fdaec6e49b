// What a proxy in front of several nodes routes a connection by: a short key derived from
// the room id, sent in every Socket.IO request's query (`?route=`), so that nginx can send a
// room's members to one node (deploy/nginx.conf.template hashes it). Not the room id
// itself: request URLs end up in proxies' and load balancers' logs, and a room id is enough
// to join a room's member list. The key is 16 bits of a hash of the id: the same for every
// member of a room, and shared by ~1 in 65,536 rooms, so a log of keys tells little more than
// which requests may belong together. Synchronous (FNV-1a), because the socket opens before
// anything else on the page: WebCrypto's digest would make it wait.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const KEY_BITS = 16;

/** Four hex digits, the same for every member of `roomId`. */
export function routeKey(roomId: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < roomId.length; i++) {
    hash ^= roomId.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return (hash >>> (32 - KEY_BITS)).toString(16).padStart(KEY_BITS / 4, '0');
}
