// Injected into roomlink's page before its own script (an init script): watches the chat
// list and the member list with MutationObservers (a line counts when the app has put it on
// the page), and drives the app's real send path: the composer's input and its submit. Each
// user comes as a first-time visitor: no name is stored, so the app picks a friendly one
// and joins at once, as it does for anyone who opens a link (no prompt, nothing typed).
import { type BenchPageApi, burst, createRecorder, now, sendPaced } from './shared.ts';

interface ProbeConfig {
  /** Members expected besides oneself (for mesh_ms). */
  peers: number;
  /** Send one `mesh:` message once that many members are listed. */
  meshMessage: boolean;
}

declare global {
  interface Window {
    __benchConfig: ProbeConfig;
    __bench: BenchPageApi;
    roomlink?: { selfId(): string | null };
  }
}

const config = window.__benchConfig;
const recorder = createRecorder(config.peers);

/**
 * Writes the text and presses Enter in the message box, as a user sends; returns when Enter
 * went down. The writing is the user's typing, done before Enter: a line's latency starts at
 * the key.
 */
function send(text: string): number {
  const input = document.querySelector<HTMLTextAreaElement>('[data-testid="message-input"]');
  if (!input) throw new Error('bench probe: no message box on the page');
  input.value = text;
  const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
  const at = now();
  input.dispatchEvent(enter);
  return at;
}

function watchMessages(list: Element): void {
  new MutationObserver((mutations) => {
    const at = now();
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (!(node instanceof HTMLElement) || node.dataset['kind'] !== 'chat' || node.classList.contains('own'))
          continue;
        const text = node.querySelector('[data-testid="message-text"]')?.textContent ?? '';
        recorder.add(node.dataset['from'] ?? '', text, at);
      }
    }
  }).observe(list, { childList: true });
}

function watchMembers(list: Element): void {
  const present = new Set<string>();
  let sentMesh = false;
  new MutationObserver(() => {
    const at = now();
    const listed = new Set<string>();
    for (const item of list.querySelectorAll<HTMLElement>('[data-testid="peer"]'))
      listed.add(item.dataset['peerId'] ?? '');
    for (const id of present)
      if (!listed.has(id) && recorder.record.gone[id] === undefined) recorder.record.gone[id] = at;
    // A sender this page muted or cut for flooding lost lines on the way: the burst says so.
    for (const reason of list.querySelectorAll<HTMLElement>('[data-reason]')) {
      const code = reason.dataset['reason'] ?? '';
      recorder.record.problems[code] ??= at;
    }
    for (const id of listed) present.add(id);
    if (config.meshMessage && !sentMesh && listed.size >= config.peers) {
      sentMesh = true;
      // After the app's own render of this list: it sends to every member it knows.
      queueMicrotask(() => send(`mesh:${window.roomlink?.selfId() ?? ''}`));
    }
  }).observe(list, { childList: true, subtree: true, attributes: true });
}

document.addEventListener('readystatechange', () => {
  if (document.readyState !== 'interactive') return;
  const messages = document.getElementById('messages');
  const members = document.getElementById('members');
  if (messages) watchMessages(messages);
  if (members) watchMembers(members);
});

window.__bench = {
  now,
  selfId: () => window.roomlink?.selfId() ?? null,
  record: () => recorder.record,
  count: recorder.count,
  sendPaced: (count, intervalMs, prefix) => sendPaced(send, count, intervalMs, prefix),
  burst: (count, prefix) => burst(send, count, prefix),
};
