// "X left" waits a moment before it is said: a member that reloads its tab says goodbye, and
// joins again under the same peer id (its resume ticket) a second or two later. The chat
// then says "X is back" once, instead of "X left" and "X joined". The member list shows the
// going and the coming at once, as always; only the chat's line waits.
//
// A member that keeps going and coming (a flaky network, or a server that lies about who is
// here: it can say so every second) would fill the chat with those lines, push real lines out
// of the ones the page keeps, and have a screen reader read each: each time it comes back, its
// next "left" waits twice as long (up to MAX_WAIT_MS; the usual wait again once it has stayed
// QUIET_MS), and its "is back" is said once per QUIET_MS at most.
import { foldName } from '../protocol/name-fold.ts';
import { dropOldest } from './bounded.ts';

/**
 * How long a "left" line waits for its member to come back: a reload on a phone, or on a
 * busy computer (8.7 s seen beside a three-way video call on two cores), takes longer than
 * the 5 s this was, and read as "Bob left", then "Bob joined".
 */
export const RETURN_WITHIN_MS = 10_000;
/** The longest a "left" line waits, for a member that came back again and again. */
const MAX_WAIT_MS = 5 * 60_000;
/** A member's "is back" is said once in this long at most; staying this long ends the longer waits. */
export const QUIET_MS = 60_000;
/** Members whose comings and goings are remembered, at most (the oldest forgotten). */
const MAX_REMEMBERED = 1_000;
/**
 * How long a member back under a new id with the key and name it left with has to prove, on
 * its link, that it holds that key, before it is said to be back: anyone may announce a key
 * seen in a hello. Past it (or gone meanwhile), its "left" and the newcomer's "joined" are said.
 */
export const PROOF_WITHIN_MS = 10_000;
/** How often the proof is looked for meanwhile. */
const PROOF_LOOK_MS = 250;

/** A member that joined under a name whose "left" waits, with that member's key. */
export interface Newcomer {
  id: string;
  /** Said if it is not the member back after all ("Bob joined"). */
  joinedText: string;
  /** Whether it proved it holds the key; null: it is gone. */
  proved(): boolean | null;
}

interface Comings {
  /** Its "left" line waiting to be said. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Says its waiting "left" line now (while `timer` runs). */
  sayNow: (() => void) | undefined;
  /** Its name when it left, folded as names are compared (foldName). */
  name: string;
  /** The signing key its link carried, if any: a tab keeps it when the server gives it a new id. */
  key: string | undefined;
  /** Times it came back since it last stayed QUIET_MS: its next wait doubles with each. */
  returns: number;
  /** When it last came back, and when its "is back" was last said. */
  returnedAt: number;
  backSaidAt: number;
}

export function createDepartures(
  say: (text: string, about: string) => void,
  waitMs = RETURN_WITHIN_MS,
  now: () => number = () => performance.now(),
) {
  const members = new Map<string, Comings>();

  /**
   * A member joined: true if it is one whose "left" still waits (and `backText` is said, unless
   * it was said for it within QUIET_MS); false for a newcomer, or one whose "left" was said.
   */
  function returned(id: string, backText: string): boolean {
    const comings = members.get(id);
    if (comings === undefined) return false;
    comings.returns++;
    comings.returnedAt = now();
    if (comings.timer === undefined) return false;
    clearTimeout(comings.timer);
    comings.timer = undefined;
    comings.sayNow = undefined;
    if (comings.returnedAt - comings.backSaidAt >= QUIET_MS) {
      comings.backSaidAt = comings.returnedAt;
      say(backText, id);
    }
    return true;
  }

  /** `backText` once the newcomer proves the key; else the old member's "left", then its "joined". */
  function waitForProof(oldId: string, backText: string, newcomer: Newcomer): void {
    let looks = 0;
    const look = (): void => {
      const proved = newcomer.proved();
      if (proved === true) {
        if (!returned(oldId, backText)) say(newcomer.joinedText, newcomer.id);
        return;
      }
      if (proved === null || ++looks > PROOF_WITHIN_MS / PROOF_LOOK_MS) {
        members.get(oldId)?.sayNow?.();
        say(newcomer.joinedText, newcomer.id);
        return;
      }
      setTimeout(look, PROOF_LOOK_MS);
    };
    look();
  }

  return {
    /** A member left under `name`: `text` is said once it has not come back within the wait. */
    left(id: string, text: string, name: string, key?: string): void {
      const comings = members.get(id) ?? {
        timer: undefined,
        sayNow: undefined,
        name: '',
        key: undefined,
        returns: 0,
        returnedAt: 0,
        backSaidAt: -Infinity,
      };
      members.delete(id);
      members.set(id, comings);
      dropOldest(members, MAX_REMEMBERED);
      clearTimeout(comings.timer);
      comings.name = foldName(name);
      comings.key = key;
      if (now() - comings.returnedAt >= QUIET_MS) comings.returns = 0;
      const wait = Math.min(waitMs * 2 ** Math.min(comings.returns, 16), MAX_WAIT_MS);
      const sayLeft = (): void => {
        clearTimeout(comings.timer);
        comings.timer = undefined;
        comings.sayNow = undefined;
        say(text, id);
      };
      comings.sayNow = sayLeft;
      comings.timer = setTimeout(sayLeft, wait);
    },
    /**
     * A newcomer (another id) joined under `name`: a member of that name whose "left" waits is
     * gone for sure (names are one member's at a time), and its "left" is said now, before the
     * newcomer's "joined". A tab closed and opened again at once said "Dave joined", then "Dave
     * left" ten seconds later, while Dave was there (an exploratory pass). True when it may be
     * that member, with the key it left with: what is said waits for the newcomer's proof
     * (`backText`, or that "left" and the newcomer's "joined"), and the caller says nothing.
     */
    joinedAs(name: string, key: string | undefined, backText: string, newcomer: Newcomer): boolean {
      const folded = foldName(name);
      for (const [id, comings] of [...members]) {
        if (comings.name !== folded || comings.timer === undefined) continue;
        // Its key too: the member itself, back under a new id (a server restart without its
        // secret gives every member one), once its link proves it holds that key. Said "back" on
        // the key the server announced, a member who joined under Bob's name with Bob's public
        // key, copied from his hello, was "Bob is back".
        if (key !== undefined && comings.key === key) {
          waitForProof(id, backText, newcomer);
          return true;
        }
        comings.sayNow?.();
      }
      return false;
    },
    returned,
  };
}
