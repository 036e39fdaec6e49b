// The room's name (protocol/channel/room.ts): any member sets, changes or clears it, and every
// page shows the same one. Ours goes to every member at once, signed; each link that opens
// hears the name we hold (`known`: no line in the chat), which is how a member who joins later
// learns it. Kept across a reload of the tab (room-name-kept.ts), and passed on from there.
//
// A name is checked against its setter's key when the setter is a member here (or we are it):
// one that does not check is refused, whoever passed it on. A name whose setter is not here
// (it left) is its passer's word, shown as such ("named by Bob, as Carol says"), never as
// checked. The latest `at` wins (ties: the greater setter id, then the greater name), so every
// page converges on one; the same name checked replaces it as someone's word. A name set
// further ahead of our clock than ROOM_NAME_AHEAD_MS is refused (it would hold against every
// later change), and so is one set, or passed on, by a member we ignore. A change that loses to
// the name we hold is answered with ours, to every member (answerStale): else a name dated
// ahead, told to us alone, held here against every later rename while the others showed it.
import { type MessageOf, ROOM_NAME_AHEAD_MS, ROOM_NAME_VERSION, roomNameOf } from '../../protocol/index.ts';
import { defineFeature, type MemberHandle, speaks } from '../feature.ts';
import { type Identity, verifyRoomName } from '../identity.ts';
import { keepForm, type RoomNameStore, savedRoomName } from './room-name-kept.ts';

type RoomNameMessage = MessageOf<'room:name'>;

/**
 * How often at most every member is told the name we hold because a change lost to it: each
 * member's budget holds us to one `room:name` a second, and a member sending stale changes
 * would have us send one to every member each time.
 */
export const STALE_ANSWER_MS = 5_000;

/** Whose word a name is when not its setter's own: the member who passed it on. */
export interface Passer {
  readonly id: string;
  readonly name: string;
}

/** The room's name as this page holds it. */
export interface RoomName {
  /** null: the room has no name (its setter took it away). */
  readonly name: string | null;
  /** Its setter's peer id, and the name it went by when it set it. */
  readonly by: string;
  readonly byName: string;
  /** When it was set (the setter's clock). */
  readonly at: number;
  /** null: its setter's own word (checked against its key, or from its own link); else whose word it is. */
  readonly says: Passer | null;
}

export interface RoomNameOptions {
  selfId(): string;
  selfName(): string;
  members(): Iterable<MemberHandle>;
  identity: Pick<Identity, 'signRoomName' | 'publicKey'>;
  /** A member we ignore (ignored.ts): what it sets or passes on is not taken. */
  ignored?(peerId: string): boolean;
  /**
   * The name held changed (or its setter's or passer's name did); `change`: set just now, by a
   * member or by us (the chat says so), not learned as a link opened or taken back after a reload.
   */
  changed(current: RoomName, change: boolean): void;
  /** Keeps the name across a reload of the tab (none: not kept). */
  store?: RoomNameStore;
  /** Wall clock for our names' times and the bound on others' (tests pass their own). */
  wallClock?: () => number;
}

/** Why a name was not taken, counted (tests, the debug handle). */
export interface RoomNameCounts {
  taken: number;
  stale: number;
  forged: number;
  future: number;
  ignored: number;
}

/** Which of two names wins: > 0 `a`, < 0 `b`, 0 the same. */
function compare(a: RoomNameMessage, b: RoomNameMessage): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.by !== b.by) return a.by > b.by ? 1 : -1;
  const [x, y] = [a.name ?? '', b.name ?? ''];
  return x === y ? 0 : x > y ? 1 : -1;
}

/** The message without what only its link says (`known`). */
function held(message: RoomNameMessage): RoomNameMessage {
  const { known: _known, ...rest } = message;
  return rest;
}

export function createRoomName({
  selfId,
  selfName,
  members,
  identity,
  ignored = () => false,
  changed,
  store,
  wallClock = () => Date.now(),
}: RoomNameOptions) {
  /** When this page opened (the wall clock, as names' `at`): a name set since is news to us. */
  const since = wallClock();
  const kept = savedRoomName(store?.load());
  let state: { message: RoomNameMessage; says: Passer | null } | null = kept;
  const counts: RoomNameCounts = { taken: 0, stale: 0, forged: 0, future: 0, ignored: 0 };
  const checking = new Set<Promise<void>>();
  /** When every member was last told the name we hold (answerStale), and the next telling due. */
  const answering: { at: number; timer: ReturnType<typeof setTimeout> | null } = {
    at: Number.NEGATIVE_INFINITY,
    timer: null,
  };

  const current = (): RoomName | null => {
    if (state === null) return null;
    const { message, says } = state;
    return { name: message.name ?? null, by: message.by, byName: message.byName, at: message.at, says };
  };

  /** Whether `message` (someone's word, or its setter's own) would replace what we hold. */
  function improves(message: RoomNameMessage, says: Passer | null | undefined): boolean {
    if (state === null) return true;
    const order = compare(message, state.message);
    // The same name: only its setter's own word replaces another's (undefined: not known yet).
    return order > 0 || (order === 0 && state.says !== null && says !== null);
  }

  function take(message: RoomNameMessage, says: Passer | null, change: boolean): void {
    state = { message: held(message), says };
    store?.save(keepForm(state.message, says));
    counts.taken++;
    const now = current();
    if (now) changed(now, change);
  }

  /**
   * Whether the chat says so: a change made now, or a name held by a link that opens which
   * differs from one we already held, or is the first we hear but was set after this page
   * opened (a change we missed: made while our link to its setter was down or our tab
   * reloading). `known` alone would let a member rename the room without a line saying who
   * did, its name shown only on hover. A name set before we came is no change to us.
   */
  function isChange(message: RoomNameMessage): boolean {
    if (message.known !== true) return true;
    if (state === null) return message.at > since;
    return (state.message.name ?? null) !== (message.name ?? null);
  }

  /** Whether the member hears our names: it said it speaks them, and we talk to it. */
  const hears = (member: MemberHandle): boolean =>
    !member.disposed && !member.shut && speaks(member, ROOM_NAME_VERSION, false);

  /** Tells the member the name we hold, as its link opens. */
  function tell(member: MemberHandle): void {
    if (state !== null && hears(member)) member.send({ ...state.message, known: true });
  }

  /**
   * A change lost to the name we hold: its setter, and every member that took it, hold another
   * name than ours, and nothing would tell them. Every member is told ours, as a link that
   * opens is: one whose name is older takes it (its chat says so; the setter learns its rename
   * lost, and may rename again, after ours). Only a change: a name a link brings (`known`) is
   * answered by the name we told as it opened. At once, then once per STALE_ANSWER_MS at most.
   */
  function answerStale(message: RoomNameMessage): void {
    if (message.known === true || state === null || compare(state.message, message) <= 0) return;
    if (answering.timer !== null) return; // everyone is told the name held then
    // At most STALE_ANSWER_MS: the wall clock may have gone back since.
    const wait = Math.min(STALE_ANSWER_MS, answering.at + STALE_ANSWER_MS - wallClock());
    if (wait <= 0) {
      tellEveryone();
      return;
    }
    answering.timer = setTimeout(() => {
      answering.timer = null;
      tellEveryone();
    }, wait);
  }

  function tellEveryone(): void {
    answering.at = wallClock();
    for (const member of members()) tell(member);
  }

  /**
   * Whose word the name is: its setter's (null), checked against its key when it is here or
   * ours; the passer's when the setter is not here (or its key is not known here); 'forged'
   * when a key says it did not set it.
   */
  async function word(member: MemberHandle, message: RoomNameMessage): Promise<Passer | null | 'forged'> {
    const passer: Passer = { id: member.id, name: member.name };
    const { by, byName, at, sig } = message;
    const signed = { by, byName, name: message.name ?? null, at };
    let key: string | null;
    if (by === selfId()) {
      key = await identity.publicKey();
    } else {
      const setter = by === member.id ? member : [...members()].find((m) => m.id === by && !m.disposed);
      if (setter === undefined) return passer;
      key = setter.key;
      // Unsigned only from a member whose browser cannot sign, on its own link (as its lines are).
      if (key === null && setter === member) return sig === undefined ? null : 'forged';
    }
    if (key === null) return passer;
    if (sig === undefined) return 'forged';
    return (await verifyRoomName(key, sig, signed)) ? null : 'forged';
  }

  const feature = defineFeature({
    name: 'room-name',
    types: ['room:name'],
    receive(member, message) {
      if (ignored(member.id) || ignored(message.by)) {
        counts.ignored++;
        return;
      }
      if (message.at > wallClock() + ROOM_NAME_AHEAD_MS) {
        counts.future++;
        return;
      }
      if (!improves(message, undefined)) {
        counts.stale++;
        answerStale(message);
        return;
      }
      const work = word(member, message)
        .catch((): 'forged' => 'forged')
        .then((says) => {
          if (says === 'forged') {
            counts.forged++;
          } else if (member.disposed || !improves(message, says)) {
            // Another name may have been taken while this one was checked.
            counts.stale++;
            answerStale(message);
          } else {
            take(message, says, isChange(message));
          }
        });
      checking.add(work);
      void work.finally(() => checking.delete(work));
    },
    opened: tell,
    // A hello checked: what it said of its version may be new (a link can open before).
    verified: tell,
    renamed(member) {
      const now = current();
      if (now && (now.by === member.id || now.says?.id === member.id)) changed(now, false);
    },
  });

  return {
    feature,
    /** The name held now (null: none ever heard; `name` null: taken away). */
    current,
    /** What the page shows from the start: the name kept for the tab, if any. */
    restore(): void {
      const now = current();
      if (now) changed(now, false);
    },
    /**
     * Names the room `raw` as typed ('' takes its name away): signed, held, and sent to every
     * member that speaks ROOM_NAME_VERSION. False when it is no name (too long, a control
     * character), would not change it, or a later one came while ours was signed.
     */
    async set(raw: string): Promise<boolean> {
      const name = roomNameOf(raw);
      const by = selfId();
      if (name === null || by === '') return false;
      const next = name === '' ? null : name;
      if (next === (state?.message.name ?? null)) return false;
      // After the name held, even where our clock is behind its setter's.
      const at = Math.max(Math.floor(wallClock()), (state?.message.at ?? -1) + 1);
      const byName = selfName();
      const sig = await identity.signRoomName({ by, byName, name: next, at });
      const message: RoomNameMessage = {
        t: 'room:name',
        ...(next === null ? {} : { name: next }),
        by,
        byName,
        at,
        ...(sig === null ? {} : { sig }),
      };
      if (!improves(message, null)) return false;
      take(message, null, true);
      for (const member of members()) if (hears(member)) member.send(message);
      return true;
    },
    counts: (): RoomNameCounts => ({ ...counts }),
    /** Resolves once every name received so far is checked (tests). */
    async idle(): Promise<void> {
      while (checking.size > 0) await Promise.all([...checking]);
    },
  };
}

export type RoomNames = ReturnType<typeof createRoomName>;
