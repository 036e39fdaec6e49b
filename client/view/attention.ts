// Getting attention while the tab is hidden: the unread count in the title ("(3) roomlink…")
// and, if the user opted in, a desktop notification — naming the sender, and carrying the
// message text only if the user allowed that too. Lines that mention us (mentions.ts) are
// counted apart ("(3 · @1) roomlink…"), also while the tab is visible and the reader is
// scrolled up, away from them, until the reader is back at the newest line. Otherwise
// nothing happens while the tab is visible. A line deleted by its author before the reader
// came back is not counted any more, and its notification, if still on screen, goes; nor is
// one edited so that it no longer names us counted as a mention (an edit that adds a mention
// is not news, and counts nothing). The title is this module's alone: the room's name, once
// set, goes in it as "‹name› · roomlink", the counts before it (roomNamed).
//
// Notifications share a tag per kind, so each replaces the one before of its kind: a member
// writing hundreds of lines a minute makes one notification, updated, not hundreds. Mentions
// have a tag of their own and alert again (renotify): under the lines' tag, "Carol mentioned
// you" was replaced by the next line from anyone (an exploratory pass), and a replacement
// makes no sound. Each author gets a few a minute, mentions apart from other lines (a flood
// of mentions would otherwise bury an honest member's under them); the title still counts
// every line.
import { dropOldest } from '../bounded.ts';
import { lineKey } from '../features/transcript.ts';
import { isolate } from '../isolate.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';
import { byTestId } from './dom.ts';

const NOTIFY_KEY = 'roomlink:notify';
/** The tags of the two kinds of notification: each replaces the last of its own kind only. */
const LINES_TAG = 'roomlink';
const MENTION_TAG = 'roomlink-mention';
/** Notification bodies are cut to this many characters. */
const BODY_MAX = 140;
/** Notifications per author (and as many more for its mentions of us) within NOTIFY_WINDOW_MS. */
const NOTIFY_PER_AUTHOR = 3;
const NOTIFY_WINDOW_MS = 60_000;
/** Authors whose notifications are counted, at most (the oldest forgotten). */
const MAX_NOTIFYING_AUTHORS = 1_000;
/** Lines counted in the title that a deletion or an edit can still take back (the newest). */
const MAX_COUNTED_LINES = 2_000;

type NotifyChoice = 'off' | 'on' | 'text';
/** With renotify, which the spec and Chromium have and TypeScript's DOM types leave out. */
type AlertOptions = NotificationOptions & { renotify?: boolean };

export interface Attention {
  /**
   * A chat line from someone else (`from`: its author's peer id) arrived; `mentionsYou`: it names
   * us; `privateFrom` set: written to us alone.
   */
  incoming(
    line: { from: string; id: string; privateFrom?: string },
    senderName: string,
    text: string,
    mentionsYou?: boolean,
  ): void;
  /** A line from someone else was deleted (`mentionsYou` null) or edited: counted as it now is. */
  revised(from: string, id: string, mentionsYou: boolean | null): void;
  /** The reader is at the newest line: the mentions below are seen. */
  caughtUp(): void;
  /** The room's name (null: none): the title becomes "‹name› · roomlink", the counts before it. */
  roomNamed(name: string | null): void;
  /** Notifications shown so far and the last one (debug handle, tests). */
  notified(): { count: number; last: { title: string; body: string } | null };
}

function loadChoice(): NotifyChoice {
  try {
    const stored = localStorage.getItem(NOTIFY_KEY);
    return stored === 'on' || stored === 'text' ? stored : 'off';
  } catch {
    return 'off';
  }
}

function saveChoice(choice: NotifyChoice): void {
  try {
    localStorage.setItem(NOTIFY_KEY, choice);
  } catch {
    // Storage blocked: the choice lasts for this page only.
  }
}

/**
 * `following`: whether the reader is at the newest line, and sees a line as it comes (lines.ts);
 * `now`: the clock of the per-author caps; `ignored`: a member we ignore (ignored.ts), whose
 * lines ask nothing of us (no unread count, no mention, no notification).
 */
export function createAttention(
  following: () => boolean = () => true,
  now: () => number = () => performance.now(),
  ignored: (from: string) => boolean = () => false,
): Attention {
  /** The page's own title, and the title before the counts: the room's name in it once named. */
  const pageTitle = document.title;
  let baseTitle = pageTitle;
  const toggle = byTestId<HTMLInputElement>('notify-toggle');
  const withText = byTestId<HTMLInputElement>('notify-text');
  const hint = document.getElementById('notify-hint');
  const supported = 'Notification' in window;
  // The stored choice first: only someone who opted in needs the permission asked for, a
  // synchronous request to the browser process (104 ms of a page's start in a traced bench
  // run, while the join waited behind it).
  const stored = loadChoice();
  let choice: NotifyChoice = stored !== 'off' && supported && Notification.permission === 'granted' ? stored : 'off';
  let unread = 0;
  /** Lines that mention us, come while the reader was away from them (hidden, or scrolled up). */
  let mentions = 0;
  /** The lines counted now, by (author, id): in the unread count, in the mentions. */
  const counted = new Map<string, { unread: boolean; mention: boolean }>();
  let count = 0;
  let last: { title: string; body: string } | null = null;
  /** Per author, and per author for its mentions of us: what it may still make notify. */
  const caps = new Map<string, RateCap>();

  const hidden = () => document.visibilityState === 'hidden';
  const say = (text: string) => {
    if (hint) hint.textContent = text;
  };

  function showChoice(): void {
    toggle.checked = choice !== 'off';
    withText.checked = choice === 'text';
    withText.disabled = choice === 'off';
  }

  async function enable(): Promise<void> {
    const permission =
      Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    if (permission !== 'granted') {
      say('Notifications are blocked for this site in your browser settings.');
      choice = 'off';
    } else {
      say('');
      choice = withText.checked ? 'text' : 'on';
    }
    saveChoice(choice);
    showChoice();
  }

  if (!supported) {
    toggle.disabled = true;
    say('This browser cannot show notifications.');
  }
  showChoice();
  toggle.addEventListener('change', () => {
    if (toggle.checked) {
      void enable();
      return;
    }
    choice = 'off';
    saveChoice(choice);
    showChoice();
  });
  withText.addEventListener('change', () => {
    if (choice === 'off') return;
    choice = withText.checked ? 'text' : 'on';
    saveChoice(choice);
  });
  function showCounts(): void {
    const counts = [...(unread > 0 ? [String(unread)] : []), ...(mentions > 0 ? [`@${mentions}`] : [])];
    document.title = counts.length > 0 ? `(${counts.join(' · ')}) ${baseTitle}` : baseTitle;
  }
  /** What the counts no longer hold is not taken back from them later. */
  function forget(unreadToo: boolean): void {
    for (const [key, line] of counted) {
      if (unreadToo) line.unread = false;
      if (mentions === 0) line.mention = false;
      if (!line.unread && !line.mention) counted.delete(key);
    }
  }
  document.addEventListener('visibilitychange', () => {
    if (hidden()) return;
    unread = 0;
    // Mentions scrolled past while away stay counted until the reader is down to them.
    if (following()) mentions = 0;
    forget(true);
    showCounts();
  });

  /** Counts a notification for this author (and kind) if its cap allows one now. */
  function allowed(from: string, mentionsYou: boolean): boolean {
    const key = `${mentionsYou ? '@' : ''}${from}`;
    let cap = caps.get(key);
    if (!cap) {
      cap = createRateCap(NOTIFY_PER_AUTHOR, NOTIFY_WINDOW_MS, now);
      caps.set(key, cap);
      dropOldest(caps, MAX_NOTIFYING_AUTHORS);
    }
    return cap.allow();
  }

  /**
   * The notification on screen of each kind (a new one of a kind replaces the last) and the
   * line it tells of: its text, if shown, goes from the screen when its author deletes it.
   */
  const onScreen = new Map<string, { key: string; shown: Notification }>();

  function notify(
    key: string,
    from: string,
    senderName: string,
    text: string,
    mentionsYou: boolean,
    privately: boolean,
  ): void {
    if (!supported || choice === 'off' || Notification.permission !== 'granted') return;
    if (!allowed(from, mentionsYou)) return;
    // Names isolated (U+2068 … U+2069): a right-to-left one turned the whole title around. A
    // private line says so, as the page marks it: its words read as said to the room.
    const title = `${isolate(senderName)}${mentionsYou ? ' mentioned you' : ''}${privately ? ' (privately)' : ''} — roomlink`;
    // Without the text: the room's count, not the sender's (the title names the latest sender).
    const body =
      choice === 'text' ? text.slice(0, BODY_MAX) : `${unread} new message${unread === 1 ? '' : 's'} in the room`;
    try {
      const options: AlertOptions = mentionsYou ? { body, tag: MENTION_TAG, renotify: true } : { body, tag: LINES_TAG };
      const shown = new Notification(title, options);
      shown.addEventListener('click', () => {
        window.focus();
        shown.close();
      });
      if (options.tag !== undefined) onScreen.set(options.tag, { key, shown });
      count++;
      last = { title, body };
    } catch {
      // Some phones only notify from a service worker: the title count still tells.
    }
  }

  return {
    roomNamed(name) {
      baseTitle = name === null ? pageTitle : `${isolate(name)} · roomlink`;
      showCounts();
    },
    incoming({ from, id, privateFrom }, senderName, text, mentionsYou = false) {
      if (ignored(from)) return;
      const away = hidden();
      const mention = mentionsYou && (away || !following());
      if (mention) mentions++;
      if (away) unread++;
      const key = lineKey(from, id);
      if (mention || away) {
        counted.delete(key);
        counted.set(key, { unread: away, mention });
        dropOldest(counted, MAX_COUNTED_LINES);
      }
      showCounts();
      if (away) notify(key, from, senderName, text, mentionsYou, privateFrom !== undefined);
    },
    revised(from, id, mentionsYou) {
      const key = lineKey(from, id);
      if (mentionsYou === null) {
        for (const [tag, told] of onScreen) {
          if (told.key !== key) continue;
          told.shown.close();
          onScreen.delete(tag);
        }
      }
      const line = counted.get(key);
      if (line === undefined) return;
      if (line.mention && mentionsYou !== true) {
        line.mention = false;
        mentions--;
      }
      if (mentionsYou === null && line.unread) {
        line.unread = false;
        unread--;
      }
      if (!line.unread && !line.mention) counted.delete(key);
      showCounts();
    },
    caughtUp() {
      if (mentions === 0 || hidden()) return;
      mentions = 0;
      forget(false);
      showCounts();
    },
    notified: () => ({ count, last }),
  };
}
