// Who is in a room, decided in one place: the room-size cap, unique names and the member
// list are read and changed together, atomically, by a membership store. Two stores share
// this interface: the in-memory one below (one node, no Redis) and the Redis one
// (membership-redis.ts: one Lua script per change, any number of nodes, Redis Cluster too).
//
// Every entry belongs to one socket. A reload or resume (same peer id, new socket) takes
// the entry over — your own ghost never holds your seat or your name — and a leave or
// disconnect removes the entry only if that socket still holds it, so the ghost's late
// disconnect does not remove the member who replaced it.
//
// A member whose connection went without a goodbye (a reload, a closed tab: the server cannot
// tell them apart) keeps its seat for a short hold (departure.ts SEAT_HOLD_MS): its ticket
// takes it back, and no page waiting outside a full room can meanwhile. Its name is free at
// once (the same person in a new tab asks for it, most often). A hold is only ever made from a seat its member held,
// ends by itself, and is not renewed but by being seated again: it holds a room no longer
// than the member could by staying connected.
import { freeVariant, nameKeys } from '../protocol/name-key.ts';
import type { NameKeys } from '../protocol/name-skeleton.ts';
import { decodePeerKeys, encodePeerKeys, type PeerInfo, type PeerKeys } from '../protocol/signaling.ts';

export interface MemberClaim {
  peerId: string;
  name: string;
  /** The socket that holds the entry; only it may rename or remove it. */
  socketId: string;
  /** The keys it announced with its join, carried to the others as given (issue 14). */
  keys?: PeerKeys;
  /**
   * A member from before this node started, back within the grace (returning.ts): seated even
   * when the room is full. Read by admit only; never kept with the entry.
   */
  returning?: true;
}

/** A member as the others learn of it: its keys along, when it announced any. */
export function peerInfo(id: string, name: string, keys: PeerKeys | undefined | null): PeerInfo {
  return keys ? { id, name, keys } : { id, name };
}

/** The keys as a membership record keeps them ('' for none). */
export const storedKeys = (keys: PeerKeys | undefined): string => (keys ? encodePeerKeys(keys) : '');
export const loadedKeys = (text: string | undefined): PeerKeys | undefined => decodePeerKeys(text) ?? undefined;

/** `holder`: the peer id that holds the name (a resume's own earlier id, or someone else). */
export type NameTaken = { ok: false; code: 'name_taken'; suggestion: string; holder: string };
/** A taking back of a peer id (claimResume): refused while another stands, which ends within endsWithinMs. */
export type ResumeClaim = { ok: true } | { ok: false; endsWithinMs: number };
/**
 * How long a claim stands at least when its join never ends it (a node died mid-join): the
 * wait it costs that peer id's next join, at most. The Redis store makes it longer when its
 * command timeout would let the join outlive it.
 */
export const RESUME_CLAIM_MS = 10_000;
export type AdmitResult = { ok: true; members: PeerInfo[] } | { ok: false; code: 'room_full' } | NameTaken;
export type RenameResult = { ok: true } | { ok: false; code: 'not_in_room' } | NameTaken;
/**
 * Who holds a peer id's entry, as far as the store knows: nobody; a socket of this node;
 * or another node, which beats (`alive`: it answers questions) or has stopped beating (it
 * stalled or died: it answers nothing until it is back).
 */
export type PeerHolder = { at: 'none' } | { at: 'here'; socketId: string } | { at: 'node'; alive: boolean };

/** 'local': one node by design; 'shared': across nodes; 'degraded': Redis away, this node's members only. */
export type MembershipMode = 'local' | 'shared' | 'degraded';

export interface MembershipStore {
  /**
   * Admits the claim unless the room is full (a returning claim never finds it full) or its
   * name is taken; members include it.
   */
  admit(roomId: string, claim: MemberClaim, cap: number): Promise<AdmitResult>;
  rename(roomId: string, claim: MemberClaim): Promise<RenameResult>;
  /**
   * Removes the entry if `socketId` still holds it; true if the peer is now gone from the room.
   * With `holdMs`, its seat stays its own for that long (its ticket takes it back).
   */
  leave(roomId: string, peerId: string, socketId: string, holdMs?: number): Promise<boolean>;
  members(roomId: string): Promise<PeerInfo[]>;
  /**
   * Who holds this peer id in the room (a resume asks before it takes the id back), or null
   * when the store cannot say now (Redis away or slow, or the room not written back yet).
   */
  holder(roomId: string, peerId: string): Promise<PeerHolder | null>;
  /**
   * Claims, for this socket, the taking back of a peer id with its ticket: refused while
   * another join is taking it back, on any node (with how long that claim can still stand). Two joins with one ticket at once would
   * both be admitted, the store keeping one socket and the other's cut then removing the
   * entry, leaving the survivor outside the cap and the names. Ended by endResume.
   */
  claimResume(roomId: string, peerId: string, socketId: string): Promise<ResumeClaim>;
  endResume(roomId: string, peerId: string, socketId: string): void;
  mode(): MembershipMode;
  close(): Promise<void>;
}

/** Takings-back of peer ids under way on this node (claimResume), by room and peer id. */
export function createResumeClaims() {
  const claims = new Map<string, string>();
  const keyOf = (roomId: string, peerId: string) => `${roomId}\n${peerId}`;
  return {
    claim(roomId: string, peerId: string, socketId: string): boolean {
      const key = keyOf(roomId, peerId);
      const holder = claims.get(key);
      if (holder !== undefined && holder !== socketId) return false;
      claims.set(key, socketId);
      return true;
    },
    end(roomId: string, peerId: string, socketId: string): void {
      const key = keyOf(roomId, peerId);
      if (claims.get(key) === socketId) claims.delete(key);
    },
  };
}

interface Entry {
  name: string;
  /** Its name's keys (nameKeys), each in the room's `names`. */
  nameKeys: NameKeys;
  socketId: string;
  keys?: PeerKeys | undefined;
}

interface Room {
  /** By peer id, in admission order (a Map keeps insertion order). */
  entries: Map<string, Entry>;
  /** Each name key (nameKeys: two per name at most) → peer id. */
  names: Map<string, string>;
  /** By peer id: seats held, until when (Date.now()) (see the header). */
  held: Map<string, number>;
}

/**
 * The same rules as the Lua scripts of membership-keys.ts, on Maps: the in-memory store,
 * and the Redis store's view of its own node's members (used while Redis is away).
 */
export interface RoomTable {
  admit(roomId: string, claim: MemberClaim, cap: number): AdmitResult;
  rename(roomId: string, claim: MemberClaim): RenameResult;
  leave(roomId: string, peerId: string, socketId: string, holdMs?: number): boolean;
  members(roomId: string): PeerInfo[];
  /** The socket that holds this peer id's entry, if any. */
  socketOf(roomId: string, peerId: string): string | undefined;
  /** Writes the entry whatever the cap and names say (mirroring what Redis decided). */
  put(roomId: string, claim: MemberClaim): void;
  /**
   * Mirrors a rename Redis accepted, if that socket still holds the entry: it may have left
   * while Redis answered, and then the entry must not come back.
   */
  renamed(roomId: string, claim: MemberClaim): void;
  /** One room's entries: what a node writes back to Redis after Redis comes back. */
  claims(roomId: string): MemberClaim[];
  /** Every entry, by room. */
  entries(): Map<string, MemberClaim[]>;
}

const claimsOf = (room: Room): MemberClaim[] =>
  [...room.entries].map(([peerId, e]) => ({
    peerId,
    name: e.name,
    socketId: e.socketId,
    ...(e.keys ? { keys: e.keys } : {}),
  }));

const newRoom = (): Room => ({ entries: new Map(), names: new Map(), held: new Map() });

export function createRoomTable(): RoomTable {
  const rooms = new Map<string, Room>();
  /** Ends the holds that are over, and forgets the room if nothing is left of it. */
  const expire = (roomId: string, room: Room, now = Date.now()): void => {
    for (const [peerId, until] of room.held) if (until <= now) room.held.delete(peerId);
    if (room.entries.size === 0 && room.held.size === 0) rooms.delete(roomId);
  };
  /** The room, its ended holds gone (a new one if it has none). */
  const roomOf = (roomId: string): Room => {
    const room = rooms.get(roomId);
    if (room) expire(roomId, room);
    return rooms.get(roomId) ?? newRoom();
  };
  const membersOf = (room: Room): PeerInfo[] => [...room.entries].map(([id, e]) => peerInfo(id, e.name, e.keys));
  /**
   * Who else holds one of these keys, if anyone: your own name (an earlier connection of
   * yours) is never taken.
   */
  const takenBy = (room: Room, keys: NameKeys, peerId: string): string | undefined => {
    for (const key of keys) {
      const holder = room.names.get(key);
      if (holder !== undefined && holder !== peerId) return holder;
    }
    return undefined;
  };
  const nameTaken = (room: Room, name: string, holder: string): NameTaken => ({
    ok: false,
    code: 'name_taken',
    suggestion: freeVariant(name, new Set(room.names.keys())),
    holder,
  });
  /** Gives up the keys of its name that the peer holds. */
  const release = (room: Room, peerId: string, keys: NameKeys) => {
    for (const key of keys) if (room.names.get(key) === peerId) room.names.delete(key);
  };
  const put = (room: Room, peerId: string, entry: Entry) => {
    const old = room.entries.get(peerId);
    if (old) release(room, peerId, old.nameKeys);
    room.entries.set(peerId, entry);
    for (const key of entry.nameKeys) room.names.set(key, peerId);
  };

  /** Writes the entry as Redis decided it. */
  const mirror = (roomId: string, claim: MemberClaim): void => {
    const room = roomOf(roomId);
    // A mirrored rename carries no keys: the member keeps those of its join.
    const keys = claim.keys ?? room.entries.get(claim.peerId)?.keys;
    const entry = { name: claim.name, nameKeys: nameKeys(claim.name), socketId: claim.socketId, keys };
    // Back in the room: its hold ends.
    room.held.delete(claim.peerId);
    put(room, claim.peerId, entry);
    rooms.set(roomId, room);
  };
  return {
    admit(roomId, claim, cap) {
      const room = roomOf(roomId);
      const keys = nameKeys(claim.name);
      const holder = takenBy(room, keys, claim.peerId);
      if (holder !== undefined) return nameTaken(room, claim.name, holder);
      // Its own entry, or its own hold: the seat is its own.
      const seated = room.entries.has(claim.peerId) || room.held.has(claim.peerId) || claim.returning === true;
      if (!seated && room.entries.size + room.held.size >= cap) return { ok: false, code: 'room_full' };
      room.held.delete(claim.peerId);
      put(room, claim.peerId, { name: claim.name, nameKeys: keys, socketId: claim.socketId, keys: claim.keys });
      rooms.set(roomId, room);
      return { ok: true, members: membersOf(room) };
    },
    rename(roomId, claim) {
      const room = rooms.has(roomId) ? roomOf(roomId) : undefined;
      const entry = room?.entries.get(claim.peerId);
      if (!room || !entry || entry.socketId !== claim.socketId) return { ok: false, code: 'not_in_room' };
      const keys = nameKeys(claim.name);
      const holder = takenBy(room, keys, claim.peerId);
      if (holder !== undefined) return nameTaken(room, claim.name, holder);
      // A rename keeps the keys the member announced with its join.
      put(room, claim.peerId, { name: claim.name, nameKeys: keys, socketId: claim.socketId, keys: entry.keys });
      return { ok: true };
    },
    leave(roomId, peerId, socketId, holdMs = 0) {
      const room = rooms.get(roomId);
      const entry = room?.entries.get(peerId);
      if (!room || !entry || entry.socketId !== socketId) return false;
      room.entries.delete(peerId);
      // Its name is free at once, hold or not: the seat is what a reload needs kept (a page
      // waiting outside a full room took it); a name held too made the same person, back in a
      // new tab, "Bob 2".
      release(room, peerId, entry.nameKeys);
      if (holdMs > 0) {
        room.held.set(peerId, Date.now() + holdMs);
        // Nothing else may come to this room: its holds end here, not only at its next change.
        setTimeout(() => {
          const now = rooms.get(roomId);
          if (now) expire(roomId, now);
        }, holdMs).unref();
      }
      expire(roomId, room);
      return true;
    },
    put: mirror,
    socketOf: (roomId, peerId) => rooms.get(roomId)?.entries.get(peerId)?.socketId,
    members(roomId) {
      const room = rooms.get(roomId);
      return room ? membersOf(room) : [];
    },
    renamed(roomId, claim) {
      if (rooms.get(roomId)?.entries.get(claim.peerId)?.socketId === claim.socketId) mirror(roomId, claim);
    },
    claims(roomId) {
      const room = rooms.get(roomId);
      return room ? claimsOf(room) : [];
    },
    entries() {
      const all = new Map<string, MemberClaim[]>();
      for (const [roomId, room] of rooms) all.set(roomId, claimsOf(room));
      return all;
    },
  };
}

/** One node, no Redis: the table itself, behind the store's (async) interface. */
export function createMemoryMembership(): MembershipStore {
  const table = createRoomTable();
  const resumes = createResumeClaims();
  return {
    // A join on this node holds it: it ends with that join, which here waits on nothing.
    claimResume: async (roomId, peerId, socketId) =>
      resumes.claim(roomId, peerId, socketId) ? { ok: true } : { ok: false, endsWithinMs: RESUME_CLAIM_MS },
    endResume: (roomId, peerId, socketId) => resumes.end(roomId, peerId, socketId),
    admit: async (roomId, claim, cap) => table.admit(roomId, claim, cap),
    rename: async (roomId, claim) => table.rename(roomId, claim),
    leave: async (roomId, peerId, socketId, holdMs) => table.leave(roomId, peerId, socketId, holdMs),
    members: async (roomId) => table.members(roomId),
    holder: async (roomId, peerId) => {
      const socketId = table.socketOf(roomId, peerId);
      return socketId === undefined ? { at: 'none' } : { at: 'here', socketId };
    },
    mode: () => 'local',
    close: async () => {},
  };
}
