// Is what this page found in its tab's sessionStorage for the room (the resume ticket, the
// signing key, what the tab keeps for a reload: storage.ts) its own, or a copy? The browser's
// "Duplicate tab" copies a tab's sessionStorage into the new tab, ticket and all: the copy
// asked for the original's peer id while the original was still in the room, the server told
// it to wait until that connection timed out (35 s, twice), and it joined as "Alice 2" after a
// minute, the status saying "Server unreachable" all along; with the original's signing key,
// too. A reload must keep the ticket: it takes its id and name back.
//
// Two things tell them apart, before the join is sent:
//  - A page that goes (pagehide) writes down the peer id it held (storage.ts markLeft): the
//    next page of the tab finds it, and is a reload at once. A duplicate's original never
//    went, so a copy never has it.
//  - Without it (a duplicate; or a tab whose page crashed, or that the browser restored), the
//    page asks the other pages of this browser profile, on a BroadcastChannel, whether one of
//    them holds the ticket's peer id. A live page answers in milliseconds (see README); the
//    asker is then a copy: it forgets what it copied and joins as a new member. Nobody
//    answering within ANSWER_WAIT_MS, the ticket is its own.
// Every page answers for the peer id it holds, once it has settled its own question.
// Part of the page's entry script (joining.ts): it imports nothing.

/**
 * How long a page without a sign of its own waits for a live page holding its ticket to say
 * so. A live page answered 18-52 ms after the copy's start on an idle machine, 158 ms beside
 * other tests' browsers on two cores (e2e/reload.spec.ts); only a page that hears nobody (the tab's page before
 * crashed, or the browser restored the tab) waits it out, once.
 */
export const ANSWER_WAIT_MS = 1_000;
/** The channel of this origin's room pages (a BroadcastChannel reaches one browser profile only). */
export const TAB_CHANNEL = 'roomlink:tabs';

/** Whose the tab's state is: none found; ours (a reload); a copy of a live tab's (a duplicate). */
export type TabState = 'fresh' | 'own' | 'copy';

/** What one page asks, and another answers, about a room's peer id. */
type TabMessage = { t: 'who' | 'mine'; room: string; id: string; ask: string };

/** The part of a BroadcastChannel used here. */
export interface TabChannel {
  postMessage(message: TabMessage): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface TabClaimOptions {
  roomId: string;
  /** The peer id of the resume ticket the page found for the room, if any. */
  ticketId: string | undefined;
  /** The peer id the tab's page before this one held when it went (markLeft), if it said. */
  leftId: string | null;
  /** The peer id this page holds now (its ticket's), answered for once settled. */
  holding(): string | undefined;
  /** Drops what the tab copied for the room (storage.ts forgetTab): the page is a new member. */
  forget(): void;
  /** The channel to the profile's other pages; null where BroadcastChannel is missing. */
  channel: TabChannel | null;
  waitMs?: number;
}

/** What the page knows without asking: nothing to ask about, a reload, or a question to ask. */
export function firstLook(ticketId: string | undefined, leftId: string | null): TabState | 'ask' {
  if (ticketId === undefined) return 'fresh';
  return leftId === ticketId ? 'own' : 'ask';
}

function tabMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { t, room, id, ask } = data as Record<string, unknown>;
  if ((t !== 'who' && t !== 'mine') || typeof room !== 'string' || typeof id !== 'string') return null;
  return typeof ask === 'string' ? { t, room, id, ask } : null;
}

/**
 * Settles whose the tab's state is (forgetting it if it is a copy), and from then on answers
 * other pages' questions about the peer id this page holds.
 */
export function claimTab(options: TabClaimOptions): Promise<TabState> {
  const { roomId, ticketId, channel } = options;
  const look = firstLook(ticketId, options.leftId);
  let settled = false;
  /** Our question, while it waits for an answer. */
  let asked: string | null = null;
  let answered: (state: TabState) => void = () => {};
  channel?.addEventListener('message', ({ data }) => {
    const message = tabMessage(data);
    if (message === null || message.room !== roomId) return;
    if (message.t === 'mine') {
      if (message.ask === asked) answered('copy');
      return;
    }
    // Only a page that knows its state is its own speaks for it: two copies asking at once
    // must not take each other for the original.
    if (settled && message.id === options.holding()) channel.postMessage({ ...message, t: 'mine' });
  });
  const state: Promise<TabState> =
    look !== 'ask' || channel === null || ticketId === undefined
      ? Promise.resolve(look === 'ask' ? 'own' : look)
      : new Promise((resolve) => {
          asked = randomAsk();
          const timer = setTimeout(() => answered('own'), options.waitMs ?? ANSWER_WAIT_MS);
          answered = (found) => {
            clearTimeout(timer);
            asked = null;
            resolve(found);
          };
          channel.postMessage({ t: 'who', room: roomId, id: ticketId, ask: asked });
        });
  return state.then((found) => {
    if (found === 'copy') options.forget();
    settled = true;
    return found;
  });
}

/** A question's tag: answers to another page's question are not ours. */
function randomAsk(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}
