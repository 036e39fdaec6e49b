// What a screen reader is told about the chat, and nothing else: one visually hidden live
// region (#announcer, role=log) that the page writes sentences into, instead of the message
// list being the live region.
//
// Why a separate announcer and not role=log on the list: a live list reads out every text
// added anywhere inside it — our own lines, receipts ("read by 3"), reaction counts, the
// emoji picker, times filled in later, 200 history lines, lines coming back on scroll — each
// without saying which line it belongs to; aria-relevant cannot tell a new line from a
// receipt (both are additions), and role=log would also take the list's own semantics away
// (an <ol> with role=log is no longer a list of N items). Kept a plain list, it stays what a
// reader navigates line by line, and this region says only what is news, in words chosen for
// the ear: "Bob: hello", "5 more messages from Bob and Carol", "42 earlier messages loaded".
//
// The region is a log (polite, not atomic): each sentence is a node of its own, added, so two
// that come close together are both said and the same sentence twice is said twice (writing
// the text of a role=status region over again drops the first, or says nothing). A sentence
// leaves the region after a while; removals are not read.

import { isolatedParts } from '../isolate.ts';
import { nameList } from './text.ts';

/** Lines that come within this long of the one before are one burst. */
export const BURST_MS = 1_000;
/** A burst of at most this many lines is read line by line; a longer one is summed up. */
export const BURST_READ = 3;
/** A burst that goes on and on is summed up this often all the same. */
export const BURST_LONGEST_MS = 5_000;
/** History lines placed, then this long with none: one sentence says how many. */
export const EARLIER_QUIET_MS = 1_000;
/** A sentence stays in the region this long (a reader who browses to it still finds it). */
const SAID_KEPT_MS = 10_000;
/** Names in a summary; more are counted ("Bob, Carol, Dana and 2 others"). */
const NAMES_SAID = 3;

export interface ChatAnnouncer {
  /** A live chat line from someone else (never ours, never history); `mentionsYou`: it names us (mentions.ts). */
  line(name: string, text: string, privately: boolean, mentionsYou?: boolean): void;
  /**
   * A file someone else sends, with its line's first status if it has one ("waiting for you to
   * accept"); `privately`: to us alone, said as a private line is.
   */
  file(name: string, fileName: string, status?: string, privately?: boolean): void;
  /** A line the page writes about the room ("Bob joined", "Bob is back"): said as written. */
  notice(text: string): void;
  /** `count` history lines were placed: said together, once they stop coming. */
  earlier(count: number): void;
  /** The page's answer to what the user just did ("Link copied"): said at once. */
  say(text: string): void;
}

interface Heard {
  spoken: string;
  /** The author, for a message or a file; null for a notice. */
  from: string | null;
  privately: boolean;
  /** A message that mentions us: a summary says how many did. */
  mention?: boolean;
}

export interface AnnouncerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realClock: AnnouncerClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * The first line after a quiet second is said at once. Lines that follow within a second of
 * each other wait; when they stop (or after BURST_LONGEST_MS of them), up to BURST_READ - 1 are
 * read each, and more are summed up: "12 more messages from Bob and Carol".
 */
export function createChatAnnouncer(say: (text: string) => void, clock: AnnouncerClock = realClock): ChatAnnouncer {
  /** A burst is on: something was said or held within BURST_MS. */
  let open = false;
  let held: Heard[] = [];
  let firstHeldAt = 0;
  let timer: unknown = null;
  let earlierCount = 0;
  let earlierSaid = false;
  let earlierTimer: unknown = null;

  function arm(): void {
    if (timer !== null) clock.clearTimeout(timer);
    const wait = held.length === 0 ? BURST_MS : Math.min(BURST_MS, firstHeldAt + BURST_LONGEST_MS - clock.now());
    timer = clock.setTimeout(flush, Math.max(0, wait));
  }

  function flush(): void {
    timer = null;
    if (held.length === 0) {
      open = false;
      return;
    }
    const burst = held;
    held = [];
    if (burst.length < BURST_READ) for (const one of burst) say(one.spoken);
    else say(summary(burst));
    // The burst goes on: what comes within BURST_MS of this is held again.
    arm();
  }

  function heard(one: Heard): void {
    if (!open) {
      open = true;
      say(one.spoken);
      arm();
      return;
    }
    if (held.length === 0) firstHeldAt = clock.now();
    held.push(one);
    arm();
  }

  return {
    line(name, text, privately, mentionsYou = false) {
      const marks = `${privately ? ' (private)' : ''}${mentionsYou ? ', mentions you' : ''}`;
      heard({ spoken: `${name}${marks}: ${text}`, from: name, privately, mention: mentionsYou });
    },
    file(name, fileName, status = '', privately = false) {
      const spoken = `${name}${privately ? ' (private)' : ''} sent a file: ${fileName}${status === '' ? '' : `, ${status}`}`;
      heard({ spoken, from: name, privately });
    },
    notice(text) {
      heard({ spoken: plain(text), from: null, privately: false });
    },
    earlier(count) {
      if (count <= 0) return;
      earlierCount += count;
      if (earlierTimer !== null) clock.clearTimeout(earlierTimer);
      earlierTimer = clock.setTimeout(() => {
        earlierTimer = null;
        const what = earlierCount === 1 ? 'earlier message' : 'earlier messages';
        say(`${earlierCount} ${earlierSaid ? 'more ' : ''}${what} loaded`);
        earlierSaid = true;
        earlierCount = 0;
      }, EARLIER_QUIET_MS);
    },
    say: (text) => say(plain(text)),
  };
}

/** "12 more messages from Bob and Carol, 2 of them private; 3 room notices". */
function summary(burst: readonly Heard[]): string {
  const messages = burst.filter((one) => one.from !== null);
  const notices = burst.filter((one) => one.from === null);
  const parts: string[] = [];
  if (messages.length > 0) {
    const names = [...new Set(messages.map((one) => one.from ?? ''))];
    const privately = messages.filter((one) => one.privately).length;
    const mentions = messages.filter((one) => one.mention).length;
    parts.push(
      `${messages.length} more ${messages.length === 1 ? 'message' : 'messages'} from ${nameList(names, NAMES_SAID)}` +
        (privately > 0 ? `, ${privately} of them private` : '') +
        (mentions > 0 ? `, ${mentions} ${mentions === 1 ? 'mentions' : 'mention'} you` : ''),
    );
  }
  if (notices.length > 0 && notices.length < BURST_READ) parts.push(...notices.map((one) => one.spoken));
  else if (notices.length > 0) parts.push(`${notices.length} room notices`);
  return parts.join('; ');
}

/** A page-written sentence without its names' bidi marks (isolate.ts): said, not drawn. */
const plain = (text: string): string =>
  isolatedParts(text)
    .map((part) => part.text)
    .join('');

/** Says each sentence by adding it to `region` (a live region), and takes it out later. */
export function liveRegion(region: Element, clock: AnnouncerClock = realClock): (text: string) => void {
  return (text) => {
    const sentence = document.createElement('p');
    sentence.textContent = text;
    region.append(sentence);
    clock.setTimeout(() => sentence.remove(), SAID_KEPT_MS);
  };
}

const silent: ChatAnnouncer = { line() {}, file() {}, notice() {}, earlier() {}, say() {} };
let onPage: { region: Element; announcer: ChatAnnouncer } | null = null;

/** The page's announcer, on #announcer (one for the page); silent where there is none. */
export function pageAnnouncer(): ChatAnnouncer {
  const region = globalThis.document?.getElementById('announcer');
  if (!region) return silent;
  if (onPage?.region !== region) onPage = { region, announcer: createChatAnnouncer(liveRegion(region)) };
  return onPage.announcer;
}
