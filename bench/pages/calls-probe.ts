// Injected into roomlink's page before its own script for the call benchmark: sets the
// user's name so the app joins the room at once, stamps the click on "join with video",
// and stamps the first frame each remote tile's <video> shows (calls-shared.ts). The click
// itself is Playwright's, on the app's real button.
import { type CallsRecord, createCallsRecord, stampJoinClick, watchFirstFrame } from './calls-shared.ts';

interface CallsProbeConfig {
  name: string;
}

interface RoomlinkHandle {
  selfId(): string | null;
  transceivers(peerId: string): string[];
}

declare global {
  interface Window {
    __callsConfig: CallsProbeConfig;
  }
}

const record: CallsRecord = createCallsRecord();
try {
  if (!localStorage.getItem('roomlink:name')) localStorage.setItem('roomlink:name', window.__callsConfig.name);
} catch {
  // No storage: the bench would have to type the name; it never runs like that.
}
stampJoinClick(record);

const roomlink = (): RoomlinkHandle | undefined => (window as unknown as { roomlink?: RoomlinkHandle }).roomlink;

function watchTiles(grid: Element): void {
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        const peerId = node.dataset['peerId'];
        const video = node.querySelector('video');
        if (peerId && video) watchFirstFrame(record, video, peerId);
      }
    }
  }).observe(grid, { childList: true });
}

document.addEventListener('readystatechange', () => {
  if (document.readyState !== 'interactive') return;
  const grid = document.getElementById('call-tiles');
  if (grid) watchTiles(grid);
});

/** A link whose audio and video m-lines are negotiated (the app prepares them once a call is on). */
function mediaReady(peerId: string): boolean {
  const lines = roomlink()?.transceivers(peerId) ?? [];
  return ['audio', 'video'].every((kind) => lines.some((line) => line.includes(` ${kind} sendrecv/sendrecv`)));
}

const connected = (): HTMLElement[] => [
  ...document.querySelectorAll<HTMLElement>('[data-testid="peer"][data-state="connected"]'),
];

window.__calls = {
  inCall: () => document.querySelector('[data-testid="call-tile"][data-self="true"]') !== null,
  callCount: () => Number(document.querySelector<HTMLElement>('[data-testid="call-status"]')?.dataset['count'] ?? 0),
  ready: (peers) => connected().length >= peers,
  mediaReady(peers) {
    const links = connected();
    return links.length >= peers && links.every((item) => mediaReady(item.dataset['peerId'] ?? ''));
  },
  selfId: () => roomlink()?.selfId() ?? null,
  record: () => record,
};
