// "Alice is typing…": our own keystrokes become a start (at most once per 2 s while typing)
// and a stop (5 s after the last keystroke, or when the message goes); the starts of others
// are capped per member and expire on their own if a stop is lost.
//
// While we write privately to one member, only that member hears we are typing: anyone else
// would learn that a private exchange is going on. Whoever was told we type and is no longer
// who we write to is told we stopped, as soon as the choice changes.
import { type MessageOf, TYPING_CAP_PERIOD_MS } from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle } from '../feature.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';

/** While the keys move, a start goes out again this often (the receiver's expiry refresh). */
export const TYPING_REFRESH_MS = 2_000;
/** No keystroke for this long: we stopped typing. */
export const TYPING_IDLE_MS = 5_000;
/**
 * A start after a stop waits until the receiver's cap lets it through, with room for the
 * two messages arriving closer together than they were sent.
 */
const TYPING_RESTART_GAP_MS = TYPING_CAP_PERIOD_MS + 150;
/**
 * A member whose start was not refreshed (or stopped) for this long is no longer shown: its
 * stop was lost. Longer than a refresh plus the idle time, so an honest stop comes first.
 */
export const TYPING_STALE_MS = TYPING_REFRESH_MS + TYPING_IDLE_MS + 1_000;

interface TypingPeerState {
  cap: RateCap;
}

export interface TypingOptions {
  members(): Iterable<MemberHandle>;
  /** Who our typing is for: the member we write to privately (its id), or null for everyone. */
  audience?(): string | null;
  /** The members typing now, in the order they started (names as the server gave them). */
  changed(typing: readonly MemberHandle[]): void;
  /** A member we ignore (ignored.ts): its typing is kept, and not shown. */
  ignored?(peerId: string): boolean;
  now?: () => number;
}

export function createTyping({
  members,
  audience = () => null,
  changed: showTyping,
  ignored = () => false,
  now = () => performance.now(),
}: TypingOptions) {
  const typingSlot = createSlot<TypingPeerState>('typing', () => ({
    cap: createRateCap(1, TYPING_CAP_PERIOD_MS, now),
  }));
  /** Members typing, each with the timer that drops it if no stop comes. */
  const typing = new Map<MemberHandle, ReturnType<typeof setTimeout>>();
  /**
   * Those typing but the ignored are shown. The ignored are still followed: stopping ignoring
   * shows one typing now at once (`ignoredChanged`).
   */
  const shown = (): MemberHandle[] => [...typing.keys()].filter((member) => !ignored(member.id));
  function changed(): void {
    showTyping(shown());
  }

  // Our side.
  let announced = false;
  let lastStartAt = Number.NEGATIVE_INFINITY;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** The members (ids) sent a start since our last stop: they, and only they, get a stop. */
  const told = new Set<string>();

  const addressed = (member: MemberHandle, to: string | null): boolean =>
    !member.disposed && (to === null || member.id === to);

  /**
   * A member neither heard on its link nor reached through another: what we send it waits on
   * the link (its network, or ours, dropped) and all of it arrives at once when the link is
   * back. Twenty-odd starts and stops from a minute of writing through a dead spot went past
   * its typing budget there, which muted us, and the chat lines resent in the same moment
   * were ignored and never sent again. A start or stop is stale by then: it hears we type
   * when its link opens again (`opened`), and a start it had expires on its own.
   */
  const unreachable = (member: MemberHandle): boolean => !member.open && !member.relayed;

  function start(member: MemberHandle): void {
    if (unreachable(member)) return;
    member.send({ t: 'typing', active: true });
    told.add(member.id);
  }

  /** Sends a stop to those told we type for whom `keep` is false, and forgets them. */
  function untell(keep: (member: MemberHandle) => boolean): void {
    const stopped: MessageOf<'typing'> = { t: 'typing', active: false };
    for (const member of members()) {
      if (member.disposed || !told.has(member.id) || keep(member)) continue;
      if (!unreachable(member)) member.send(stopped);
      told.delete(member.id);
    }
  }

  /** Those told we type who are not `to` (everyone: null) hear we stopped. */
  function untellAllBut(to: string | null): void {
    untell((member) => addressed(member, to));
  }

  function stop(): void {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
    if (!announced) return;
    announced = false;
    untell(() => false);
    told.clear(); // and those gone meanwhile
  }

  function show(member: MemberHandle): void {
    const previous = typing.get(member);
    if (previous !== undefined) clearTimeout(previous);
    typing.set(
      member,
      setTimeout(() => hide(member), TYPING_STALE_MS),
    );
    if (previous === undefined && !ignored(member.id)) changed();
  }

  function hide(member: MemberHandle): void {
    const timer = typing.get(member);
    if (timer === undefined) return;
    clearTimeout(timer);
    typing.delete(member);
    if (!ignored(member.id)) changed();
  }

  const feature = defineFeature({
    name: 'typing',
    types: ['typing'],
    receive(member, message) {
      if (!message.active) {
        // A stop only ever removes; a flood of them costs a map lookup each.
        hide(member);
        return;
      }
      if (!member.slot(typingSlot).cap.allow()) return;
      show(member);
    },
    opened(member) {
      // Someone who (re)connects while we type learns it now, not at the next refresh.
      if (announced && addressed(member, audience())) start(member);
    },
    renamed(member) {
      if (typing.has(member) && !ignored(member.id)) changed();
    },
    removed: hide,
  });

  return {
    feature,
    /** Whom we write to changed (private mode on, off, or to another member). */
    audienceChanged(): void {
      untellAllBut(audience());
    },
    /** A keystroke in the composer (with text in it). */
    keystroke(): void {
      const time = now();
      const to = audience();
      // Private mode chosen or changed since the last key: those no longer written to stop.
      untellAllBut(to);
      if (time - lastStartAt >= (announced ? TYPING_REFRESH_MS : TYPING_RESTART_GAP_MS)) {
        lastStartAt = time;
        announced = true;
        for (const member of members()) if (addressed(member, to)) start(member);
      } else if (announced) {
        // Written to since the last start (private mode changed): they hear it now, not at the
        // next refresh; one start each, as at any refresh.
        for (const member of members()) if (addressed(member, to) && !told.has(member.id)) start(member);
      }
      if (idleTimer !== null) clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, TYPING_IDLE_MS);
    },
    /** The composer was emptied or its message sent. */
    stop,
    /** A chat line from this member arrived: whatever it was typing is written. */
    lineFrom(member: MemberHandle | undefined): void {
      if (member) hide(member);
    },
    /** A member was ignored, or no longer is (ignored.ts): those typing are shown as they are now. */
    ignoredChanged: changed,
    /** Members shown as typing now (tests). */
    typing: (): readonly MemberHandle[] => shown(),
    /**
     * Whether any member is shown typing (read often: no list made). Not an ignored one: its
     * typing would have our file transfers step back for a conversation we do not see.
     */
    anyoneTyping(): boolean {
      for (const member of typing.keys()) if (!ignored(member.id)) return true;
      return false;
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;
