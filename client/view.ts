// The DOM. Everything a peer or the server sent is put on the page with textContent or
// attributes, never as HTML, so names and messages full of markup stay inert text.
import type { ChatLine } from './chat.ts';
import type { Member } from './mesh.ts';
import type { SignalingStatus } from './signaling.ts';

/** Within this many pixels of the bottom the chat counts as "at the newest message". */
const STICK_TO_BOTTOM_PX = 48;

const STATE_LABEL: Record<Member['state'], string> = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  unreachable: 'unreachable',
};

const STATUS_TEXT: Record<SignalingStatus, string> = {
  connecting: 'Connecting to the server…',
  joined: '',
  reconnecting: 'Server unreachable — chat still works with connected members. Reconnecting…',
  replaced: 'This room was opened in another tab with the same identity. Reload to use it here.',
  rejected: 'The server refused to let you in.',
};

function byTestId<T extends HTMLElement>(testId: string): T {
  const element = document.querySelector<T>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`page is missing [data-testid=${testId}]`);
  return element;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; testId?: string } = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.testId) element.dataset.testid = props.testId;
  return element;
}

export interface ViewHandlers {
  submitName(name: string): void;
  sendMessage(text: string): void;
}

export interface View {
  setShareLink(url: string): void;
  setSelf(id: string | null, name: string): void;
  renderMembers(members: Member[]): void;
  appendLine(line: ChatLine, senderName: string): void;
  setStatus(status: SignalingStatus, detail?: string): void;
  setJoined(joined: boolean): void;
  nameError(message: string | null): void;
  fatal(message: string): void;
}

export function createView(handlers: ViewHandlers): View {
  const shareLink = byTestId<HTMLInputElement>('share-link');
  const copyButton = byTestId<HTMLButtonElement>('copy-button');
  const nameForm = document.getElementById('name-form') as HTMLFormElement;
  const nameInput = byTestId<HTMLInputElement>('name-input');
  const nameHint = document.getElementById('name-hint') as HTMLElement;
  const joinButton = byTestId<HTMLButtonElement>('join-button');
  const self = byTestId<HTMLElement>('self');
  const memberList = document.getElementById('members') as HTMLUListElement;
  const memberCount = document.getElementById('member-count') as HTMLElement;
  const messages = document.getElementById('messages') as HTMLOListElement;
  const composer = document.getElementById('composer') as HTMLFormElement;
  const messageInput = byTestId<HTMLInputElement>('message-input');
  const sendButton = byTestId<HTMLButtonElement>('send-button');
  const status = byTestId<HTMLElement>('signaling-status');

  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.submitName(nameInput.value);
  });
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = messageInput.value;
    if (!text.trim()) return;
    handlers.sendMessage(text);
    messageInput.value = '';
    if (document.activeElement !== messageInput) messageInput.focus();
  });
  copyButton.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(shareLink.value);
      flash(copyButton, 'Copied');
    } catch {
      // No Clipboard API (insecure context, permissions): select it for the user to copy.
      shareLink.focus();
      shareLink.select();
      flash(copyButton, 'Press Ctrl+C');
    }
  });
  shareLink.addEventListener('focus', () => shareLink.select());

  let pendingLines = document.createDocumentFragment();
  let pendingOwn = false;
  let flushScheduled = false;
  let scrollScheduled = false;
  // Whether the view follows the newest line. Read from layout only when the user scrolls,
  // never while lines arrive: a layout read per line made a 2,000-line burst take seconds.
  let following = true;
  messages.addEventListener(
    'scroll',
    () => {
      following = messages.scrollHeight - messages.scrollTop - messages.clientHeight < STICK_TO_BOTTOM_PX;
    },
    { passive: true },
  );

  function flushLines(): void {
    flushScheduled = false;
    messages.append(pendingLines);
    pendingLines = document.createDocumentFragment();
    if ((following || pendingOwn) && !scrollScheduled) {
      // Once per frame at most, when the browser lays the page out anyway.
      scrollScheduled = true;
      requestAnimationFrame(() => {
        scrollScheduled = false;
        messages.scrollTop = messages.scrollHeight;
        following = true;
      });
    }
    pendingOwn = false;
  }

  function flash(button: HTMLButtonElement, text: string): void {
    const original = button.dataset.label ?? button.textContent ?? '';
    button.dataset.label = original;
    button.textContent = text;
    setTimeout(() => (button.textContent = original), 1500);
  }

  function memberItem(member: Member): HTMLLIElement {
    const item = el('li', { className: 'member', testId: 'peer' });
    item.dataset.peerId = member.id;
    item.dataset.state = member.state;
    item.dataset.verified = member.verification;
    const name = el('span', { className: 'member-name', text: member.name });
    const state = el('span', { className: `member-state state-${member.state}`, text: STATE_LABEL[member.state] });
    item.append(name, state);
    if (member.verification === 'verified') {
      const badge = el('span', { className: 'verified', text: '✓' });
      badge.title = 'Proved it holds this room’s key: nobody sits in the middle';
      name.append(' ', badge);
    }
    if (member.path && member.state === 'connected') {
      const kind = member.path.relayed ? 'relayed' : 'direct';
      const rtt = member.path.rttMs === null ? '' : ` · ${member.path.rttMs} ms`;
      const path = el('span', { className: 'member-path', text: `${kind}${rtt}` });
      path.dataset.path = kind;
      path.title = `${member.path.local} ↔ ${member.path.remote}`;
      item.append(path);
    }
    if (member.reason) {
      const reason = el('span', { className: 'member-reason', text: member.reason.text });
      reason.dataset.reason = member.reason.code;
      item.append(reason);
    }
    return item;
  }

  return {
    setShareLink(url) {
      shareLink.value = url;
    },
    setSelf(id, name) {
      if (id === null) delete self.dataset.peerId;
      else self.dataset.peerId = id;
      self.textContent = `${name} (you)`;
    },
    renderMembers(members) {
      const shown = members.filter((m) => m.visible).sort((a, b) => a.name.localeCompare(b.name));
      memberList.replaceChildren(self, ...shown.map(memberItem));
      memberCount.textContent = String(shown.length + 1);
    },
    appendLine(line, senderName) {
      // Lines are put on the page together, once per task: one layout read and one scroll
      // for a burst instead of one each (2,000 lines written in one go stay fast).
      const item = el('li', { className: `line line-${line.kind}${line.own ? ' own' : ''}`, testId: 'message' });
      item.dataset.id = line.id;
      item.dataset.from = line.from;
      item.dataset.kind = line.kind;
      const time = el('time', { className: 'line-time', text: formatTime(line.ts) });
      time.dateTime = new Date(line.ts).toISOString();
      const text = el('span', { className: 'line-text', text: line.text, testId: 'message-text' });
      if (line.kind === 'chat') {
        const sender = el('span', { className: 'line-sender', text: line.own ? 'You' : senderName });
        item.append(sender, time, text);
      } else {
        item.append(time, text);
      }
      pendingLines.append(item);
      pendingOwn ||= line.own;
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(flushLines);
      }
    },
    setStatus(state, detail) {
      status.dataset.state = state;
      status.textContent = detail ?? STATUS_TEXT[state];
      status.hidden = status.textContent === '';
    },
    setJoined(joined) {
      messageInput.disabled = !joined;
      sendButton.disabled = !joined;
      joinButton.textContent = joined ? 'Rename' : 'Join';
      if (joined) nameHint.textContent = '';
      if (joined && document.activeElement === nameInput) messageInput.focus();
    },
    nameError(message) {
      nameInput.setAttribute('aria-invalid', message === null ? 'false' : 'true');
      nameHint.textContent = message ?? '';
    },
    fatal(message) {
      status.dataset.state = 'rejected';
      status.textContent = message;
      status.hidden = false;
      messageInput.disabled = true;
      sendButton.disabled = true;
    },
  };
}

// One formatter for every line: toLocaleTimeString builds a new one per call.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function formatTime(ts: number): string {
  return timeFormat.format(ts);
}
