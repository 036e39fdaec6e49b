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
import {
  forgetTab,
  loadName,
  loadResume,
  loadTabName,
  markLeft,
  saveName,
  signingKeyStore,
  takeLeft,
} from './storage.ts';
import { claimTab, TAB_CHANNEL, type TabState } from './tab-claim.ts';
import { mark } from './timeline.ts';

/** Starts joining (the page's one join) and hands it to main.js through joined.ts. */
export function startJoining(): Joining {
  mark('boot');
  const link = resolveRoomLink(window.location, window.history);
  const valid = link.invalidRoomId === null;
  // The socket first: its handshake runs in the network while the page reads its storage
  // (the first read waits on the browser process, which is busiest while pages load) and
  // makes the keys below. The join, once connected, asks for the name and the keys
  // through these functions; not before the tab's state is known to be its own (below).
  const signaling = valid
    ? createSignaling({
        roomId: link.roomId,
        name: () => name,
        resume: () => loadResume(link.roomId),
        keys: () => tab.then(() => announcement.keys()),
      })
    : null;
  // A duplicated tab's copy of the original's ticket and key is dropped before either is
  // used (tab-claim.ts); a reload keeps its own.
  const tab: Promise<TabState> = valid ? claimOwnTab(link.roomId) : Promise.resolve('fresh');
  // Going, the page says which peer id it held: the tab's next page (a reload) is its own.
  if (valid) window.addEventListener('pagehide', () => markHeld(link.roomId));
  // A reload takes back the name this tab had in the room; a first load, the browser's (a
  // first-time visitor gets a friendly name at once, and keeps it); nobody is prompted.
  const kept = valid ? loadTabName(link.roomId) : null;
  const remembered = kept === null ? loadName() : null;
  const name = kept ?? (remembered?.ok ? remembered.name : null) ?? friendlyName();
  if (kept === null) saveName(name);
  // Generated (or restored) while the socket connects: the join announces it (with a
  // per-join ECDH key, for what members relay to us) and the first hello needs it.
  const identity = createIdentity(valid ? signingKeyStore(link.roomId) : undefined, tab);
  const announcement = createAnnouncement(link.key, identity);
  const joining = {
    link,
    name,
    nameRefused: remembered?.ok === false ? remembered.reason : null,
    signaling,
    identity,
    announcement,
    tab,
  };
  keepJoining(joining);
  return joining;
}

/** Whose the tab's state for the room is; a copy is forgotten before the join (tab-claim.ts). */
function claimOwnTab(roomId: string): Promise<TabState> {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(TAB_CHANNEL) : null;
  return claimTab({
    roomId,
    ticketId: loadResume(roomId)?.id,
    leftId: takeLeft(roomId),
    holding: () => loadResume(roomId)?.id,
    forget: () => forgetTab(roomId),
    channel,
  }).then((state) => {
    mark(`tab-${state}`);
    return state;
  });
}

function markHeld(roomId: string): void {
  const held = loadResume(roomId)?.id;
  if (held !== undefined) markLeft(roomId, held);
}
