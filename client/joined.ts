// The join that the entry script started (joining.ts), as main.js finds it. app.js and
// main.js are two bundles, so that nothing has to be fetched between the page and the
// socket's start (a shared chunk would be); what they pass goes through one global slot.
// This module imports nothing at run time: main.js gets no copy of the socket's code.
import type { Announcement } from './announce.ts';
import type { Identity } from './identity.ts';
import type { RoomLink } from './room-link.ts';
import type { Signaling } from './signaling.ts';
import type { TabState } from './tab-claim.ts';

export interface Joining {
  link: RoomLink;
  /** The name we join with: the one remembered, or a friendly one made now (and kept). */
  name: string;
  /**
   * Why the name this browser remembered is not the one we join with (the rules of names
   * refuse it now), or null: said once joined (wiring/own-name.ts).
   */
  nameRefused: string | null;
  /** Null when the link's room id is malformed: then nothing is joined. */
  signaling: Signaling | null;
  /** Our key pair for this room (kept by the tab across a reload): our lines are signed with it. */
  identity: Identity;
  /** Our per-join ECDH key and the proof over our public keys, announced with the join. */
  announcement: Announcement;
  /**
   * Whose the tab's sessionStorage for the room is (tab-claim.ts): settled before main.js
   * runs, so that what it reads there (what the tab kept for a reload) is never a copy of
   * another live tab's.
   */
  tab: Promise<TabState>;
}

const SLOT = Symbol.for('roomlink:joining');
type Holder = { [SLOT]?: Joining };

export function keepJoining(joining: Joining): void {
  (globalThis as Holder)[SLOT] = joining;
}

/** The join in progress; throws when the page was loaded without its entry script. */
export function joined(): Joining {
  const joining = (globalThis as Holder)[SLOT];
  if (!joining) throw new Error('roomlink: main.js runs after app.js, which starts the join');
  return joining;
}
