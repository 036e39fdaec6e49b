// What the page starts before anything else: which room, under which name, the socket that
// joins it, and our signing key for it. Part of the small entry script (boot.ts, app.js),
// so that the join and the key generation run while the rest of the client (main.js) is
// still loading and being evaluated, which under load took longer than the join itself.
import { createAnnouncement } from './announce.ts';
import { friendlyName } from './friendly-name.ts';
import { createIdentity } from './identity.ts';
import { type Joining, keepJoining } from './joined.ts';
import { resolveRoomLink } from './room-link.ts';
import { createSignaling } from './signaling.ts';
import { loadName, loadResume, saveName, signingKeyStore } from './storage.ts';
import { mark } from './timeline.ts';

/** Starts joining (the page's one join) and hands it to main.js through joined.ts. */
export function startJoining(): Joining {
  mark('boot');
  const link = resolveRoomLink(window.location, window.history);
  const valid = link.invalidRoomId === null;
  // The socket first: its handshake runs in the network while the page reads its storage
  // (the first read waits on the browser process, which is busiest while pages load) and
  // makes the keys below. The join, once connected, asks for the name and the keys
  // through these functions.
  const signaling = valid
    ? createSignaling({
        roomId: link.roomId,
        name: () => name,
        resume: () => loadResume(link.roomId),
        keys: () => announcement.keys(),
      })
    : null;
  // A first-time visitor gets a friendly name at once (and keeps it); nobody is prompted.
  const name = loadName() ?? friendlyName();
  saveName(name);
  // Generated (or restored) while the socket connects: the join announces it (with a
  // per-join ECDH key, for what members relay to us) and the first hello needs it.
  const identity = createIdentity(valid ? signingKeyStore(link.roomId) : undefined);
  const announcement = createAnnouncement(link.key, identity);
  const joining = { link, name, signaling, identity, announcement };
  keepJoining(joining);
  return joining;
}
