// Getting attention while the tab is hidden: the unread count in the title ("(3) roomlink…")
// and, if the user opted in, a desktop notification — naming the sender, and carrying the
// message text only if the user allowed that too. Lines that mention us (mentions.ts) are
// counted apart ("(3 · @1) roomlink…"), also while the tab is visible and the reader is
// scrolled up, away from them, until the reader is back at the newest line. Otherwise
// nothing happens while the tab is visible.
import { byTestId } from './dom.ts';

const NOTIFY_KEY = 'roomlink:notify';
/** Notification bodies are cut to this many characters. */
const BODY_MAX = 140;

type NotifyChoice = 'off' | 'on' | 'text';

export interface Attention {
  /** A chat line from someone else arrived; `mentionsYou`: it names us. */
  incoming(senderName: string, text: string, mentionsYou?: boolean): void;
  /** The reader is at the newest line: the mentions below are seen. */
  caughtUp(): void;
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

/** `following`: whether the reader is at the newest line, and sees a line as it comes (lines.ts). */
export function createAttention(following: () => boolean = () => true): Attention {
  const baseTitle = document.title;
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
  let count = 0;
  let last: { title: string; body: string } | null = null;

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
  document.addEventListener('visibilitychange', () => {
    if (hidden()) return;
    unread = 0;
    // Mentions scrolled past while away stay counted until the reader is down to them.
    if (following()) mentions = 0;
    showCounts();
  });

  function notify(senderName: string, text: string, mentionsYou: boolean): void {
    if (!supported || choice === 'off' || Notification.permission !== 'granted') return;
    const title = `${senderName}${mentionsYou ? ' mentioned you' : ''} — roomlink`;
    const body = choice === 'text' ? text.slice(0, BODY_MAX) : `${unread} new message${unread === 1 ? '' : 's'}`;
    try {
      const shown = new Notification(title, { body, tag: 'roomlink' });
      shown.addEventListener('click', () => {
        window.focus();
        shown.close();
      });
      count++;
      last = { title, body };
    } catch {
      // Some phones only notify from a service worker: the title count still tells.
    }
  }

  return {
    incoming(senderName, text, mentionsYou = false) {
      const away = hidden();
      if (mentionsYou && (away || !following())) mentions++;
      if (away) unread++;
      showCounts();
      if (away) notify(senderName, text, mentionsYou);
    },
    caughtUp() {
      if (mentions === 0 || hidden()) return;
      mentions = 0;
      showCounts();
    },
    notified: () => ({ count, last }),
  };
}
