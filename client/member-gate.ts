// What a link's feature messages get while this page can prove the room key: kept until the
// member's hello on that link is checked ('waiting'), handed to the features once it proved
// the key ('open'), dropped when it did not ('shut'): a link that failed the proof never
// speaks in the member's name, even while the entry shows the warning and a fresh link is
// tried. One gate per member, reset with each new link and settled by the check of its hello.
import type { ChannelMessage } from '../protocol/index.ts';

/**
 * Feature messages kept while a link's hello is checked (what came right behind it), and
 * their characters. An honest member sends at most half of each budget's burst at once (its
 * pacers), and a check takes a second or two: its backlog after a reconnect (up to ~1,250
 * lines and their signatures) fits. Past either bound it is a flood, and cut as one: never a
 * silent drop of lines its sender takes for sent.
 */
const HELD_BACK_MESSAGES = 4_096;
const HELD_BACK_CHARS = 2_000_000;

export type GateState = 'waiting' | 'open' | 'shut';

export interface Gate {
  readonly state: GateState;
  /**
   * Keeps a feature message that came while 'waiting' (size: its characters as received).
   * False when it is past the bounds: a flood, for the member to cut.
   */
  keep(message: ChannelMessage, size: number): boolean;
  /**
   * The link's hello was checked: open when it proved the key, else shut (shut stays shut:
   * nothing more on this link, whatever it says next). Returns what waited, in order.
   */
  settle(proved: boolean): ChannelMessage[];
  /** Nothing more from this link, and nothing of what waited (the member is held). */
  shut(): void;
  /** A new link: its feature messages wait for its own hello. */
  reset(): void;
}

export function createGate(): Gate {
  let state: GateState = 'waiting';
  /** Feature messages that came on the current link while the gate was 'waiting'. */
  let heldBack: ChannelMessage[] = [];
  let heldBackChars = 0;

  function take(): ChannelMessage[] {
    const waited = heldBack;
    heldBack = [];
    heldBackChars = 0;
    return waited;
  }

  return {
    get state() {
      return state;
    },
    keep(message, size) {
      heldBackChars += size;
      if (heldBack.length >= HELD_BACK_MESSAGES || heldBackChars > HELD_BACK_CHARS) return false;
      heldBack.push(message);
      return true;
    },
    settle(proved) {
      const waited = take();
      state = state !== 'shut' && proved ? 'open' : 'shut';
      return waited;
    },
    shut() {
      state = 'shut';
      take();
    },
    reset() {
      state = 'waiting';
      take();
    },
  };
}
