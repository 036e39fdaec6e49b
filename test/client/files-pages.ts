// Pages for the files feature's tests (files-feature.test.ts, files-turns.test.ts,
// files-shared.test.ts, files-replies.test.ts): each runs createFiles against stand-in members,
// with messages passed through the real parser and chunks through stand-in data channels, and
// records what its file lines show; what it lists of the files it sent, and of those it was
// receiving (and, if its Tab says so, of those it received to disk), for its next load is
// files/sent-kept.ts's and files/unfinished.ts's (files/kept.ts's) own list, over its tab's
// storage in memory (a Tab: carried over a reload by reload(…, 'keeping its tab')).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { MemberHandle, SlotKey } from '../../client/feature.ts';
import { createFiles } from '../../client/features/files.ts';
import { keptFiles } from '../../client/files/kept.ts';
import type { FileLine, FileLineActions, FileLineInfo, FileState } from '../../client/files/line.ts';
import type { ProgressSnapshot } from '../../client/files/progress.ts';
import { type SentFile, sentFiles } from '../../client/files/sent-kept.ts';
import { labelText } from '../../client/files/sent-line.ts';
import type { StoreOpener } from '../../client/files/store.ts';
import { unfinishedFiles } from '../../client/files/unfinished.ts';
import {
  type ChannelMessage,
  encodeChannelMessage,
  type FileOffer,
  parseChannelMessage,
} from '../../protocol/index.ts';

export interface ShownLine {
  info: FileLineInfo;
  actions: FileLineActions;
  state: FileState;
  status: string;
  asking: boolean;
  file: File | null;
  /** A file we send, handed to its line to preview: its name (the line keeps no file: it would hold it). */
  previewed?: string;
  progress: { done: number; total: number } | null;
  snapshot: ProgressSnapshot | null;
  /** A file we send: each recipient's status as the line reads it ("bob-0000001 ✓ received"). */
  recipients: string[];
  /** Every recipient's status each time the line showed them, in order. */
  said: string[];
  /** A file we send: whether it is still shared with those who join (FileLine.sharing). */
  shared: boolean;
}

type Listener = (event: { data?: unknown }) => void;

export interface ChannelEnd {
  label: string;
  readyState: RTCDataChannelState;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: string;
  peer: ChannelEnd | null;
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  emit(type: string, event?: { data?: unknown }): void;
  send(data: unknown): void;
  close(): void;
}

/** One end of a stand-in RTCDataChannel; `peer` is the other end. */
function channelEnd(label: string): ChannelEnd {
  const listeners = new Map<string, Listener[]>();
  const end: ChannelEnd = {
    label,
    readyState: 'connecting',
    bufferedAmount: 0,
    bufferedAmountLowThreshold: 0,
    binaryType: 'arraybuffer',
    peer: null,
    addEventListener(type: string, listener: Listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    removeEventListener(type: string, listener: Listener) {
      listeners.set(
        type,
        (listeners.get(type) ?? []).filter((l) => l !== listener),
      );
    },
    emit(type: string, event: { data?: unknown } = {}) {
      for (const listener of listeners.get(type) ?? []) listener(event);
    },
    send(data: unknown) {
      if (end.readyState !== 'open') throw new Error('not open');
      const copy = data instanceof ArrayBuffer ? data.slice(0) : data;
      setImmediate(() => end.peer?.readyState === 'open' && end.peer.emit('message', { data: copy }));
    },
    close() {
      for (const side of [end, end.peer]) {
        if (!side || side.readyState === 'closed') continue;
        side.readyState = 'closed';
        setImmediate(() => side.emit('close'));
      }
    },
  };
  return end;
}

export interface Page {
  id: string;
  files: ReturnType<typeof createFiles>;
  lines: ShownLine[];
  notices: string[];
  /** This page's handle for each other page, by its id. */
  members: Map<string, MemberHandle & { dispose(): void }>;
  acceptLimit: number;
  /** The members this page ignores (ignored.ts): their offers are declined. */
  ignored: Set<string>;
  /** A member's name now, as the page's names.ts would say it, by id (none: its handle's). */
  names: Map<string, string>;
  /** Labels of the transfer channels this page opened, in order. */
  channelsMade: string[];
  /** Files it sent, as their lines ended: what it lists for its next load (files/sent-kept.ts). */
  readonly sent: SentFile[];
  /** Ids of the files whose lines went `transferring`, in the order they first did. */
  started: string[];
  /** The most lines `transferring` at once. */
  mostRunning: number;
  /** Ids of the lines of files it sent, in the order each was offered (moved to the newest: FileLine.offered). */
  offered: string[];
  /** Bytes of chunks it put on the transfer channels it opened. */
  sentBytes: number;
  tab: Tab;
}

/** What a page's tab keeps over a reload: its sessionStorage; and where it stores what it receives. */
export interface Tab {
  storage: Map<string, string>;
  /** Where received files go (files/store.ts): by default, memory (no worker here). */
  openStore?: StoreOpener;
  /** Lists the files it received to disk for its next load (files/kept.ts; needs a disk openStore). */
  keepsReceived?: boolean;
}

export function createPage(id: string, stallMs?: number, tab: Tab = { storage: new Map() }): Page {
  const storage = {
    getItem: (key: string) => tab.storage.get(key) ?? null,
    setItem: (key: string, value: string) => void tab.storage.set(key, value),
  };
  const sentList = sentFiles('room', storage);
  const page: Page = {
    id,
    lines: [],
    notices: [],
    members: new Map(),
    acceptLimit: 100_000_000,
    ignored: new Set(),
    names: new Map(),
    channelsMade: [],
    get sent() {
      return sentList.list();
    },
    started: [],
    mostRunning: 0,
    offered: [],
    sentBytes: 0,
    tab,
    files: null as unknown as ReturnType<typeof createFiles>,
  };
  page.files = createFiles({
    selfId: () => id,
    selfName: () => id,
    members: () => page.members.values(),
    notice: (_member, text) => page.notices.push(text),
    acceptLimit: () => page.acceptLimit,
    ignored: (peerId) => page.ignored.has(peerId),
    nameNow: (peerId) => page.names.get(peerId) ?? null,
    sent: sentList,
    ...(tab.keepsReceived ? { kept: keptFiles('room', storage) } : {}),
    unfinished: unfinishedFiles('room', storage),
    ...(tab.openStore ? { openStore: tab.openStore } : {}),
    ...(stallMs === undefined ? {} : { stallMs }),
    showLine(info, actions): FileLine {
      const shown: ShownLine = {
        info,
        actions,
        state: 'offered',
        status: '',
        asking: false,
        file: null,
        progress: null,
        snapshot: null,
        recipients: [],
        said: [],
        shared: false,
      };
      page.lines.push(shown);
      return {
        state(state, status) {
          if (state === 'transferring' && !page.started.includes(info.id)) page.started.push(info.id);
          shown.state = state;
          shown.status = status;
          const running = page.lines.filter((line) => line.state === 'transferring').length;
          page.mostRunning = Math.max(page.mostRunning, running);
        },
        progress(snapshot) {
          shown.progress = { done: snapshot.done, total: snapshot.total };
          shown.snapshot = snapshot;
        },
        recipients(labels) {
          shown.recipients = labels.map(labelText);
          shown.said.push(...shown.recipients);
        },
        ask(asking) {
          shown.asking = asking;
        },
        ready(file) {
          shown.file = file;
        },
        gone() {},
        preview(file) {
          shown.previewed = file.name;
        },
        offered() {
          page.offered.push(info.id);
        },
        sharing(shared) {
          shown.shared = shared;
        },
      };
    },
  });
  return page;
}

/** Links two pages: messages go through encode/parse, channels through channelEnd pairs. */
export function link(a: Page, b: Page): void {
  const handle = (self: Page, other: Page) => {
    const slots = new Map<SlotKey<unknown>, unknown>();
    let disposed = false;
    const member: MemberHandle & { dispose(): void } = {
      id: other.id,
      name: other.id,
      state: 'connected',
      verification: 'verified',
      key: null,
      keyHeld: false,
      version: null,
      cameAfterUs: false,
      get disposed() {
        return disposed;
      },
      shut: false,
      get open() {
        return !disposed;
      },
      relayed: false,
      heardThrough: null,
      get writable() {
        return !disposed;
      },
      send(message: ChannelMessage) {
        if (disposed) return false;
        const wire = encodeChannelMessage(message);
        setImmediate(() => {
          const back = other.members.get(self.id);
          const parsed = parseChannelMessage(wire);
          if (back && !back.disposed && parsed) other.files.feature.receive(back, parsed as never);
        });
        return true;
      },
      slot<T>(key: SlotKey<T>): T {
        if (!slots.has(key)) slots.set(key, key.init());
        return slots.get(key) as T;
      },
      pc: {
        createDataChannel(label: string) {
          self.channelsMade.push(label);
          const local = channelEnd(label);
          const remote = channelEnd(label);
          const send = local.send;
          local.send = (data) => {
            if (data instanceof ArrayBuffer) self.sentBytes += data.byteLength;
            send(data);
          };
          local.peer = remote;
          remote.peer = local;
          setImmediate(() => {
            const back = other.members.get(self.id);
            if (!back || !other.files.feature.dataChannel?.(back, remote as unknown as RTCDataChannel)) {
              local.close();
              return;
            }
            local.readyState = 'open';
            remote.readyState = 'open';
            local.emit('open');
            remote.emit('open');
          });
          return local;
        },
      } as unknown as RTCPeerConnection,
      dispose() {
        disposed = true;
        self.files.feature.removed?.(member, 'ERR_PEER_LEFT');
        slots.clear();
      },
    };
    self.members.set(other.id, member);
    self.files.feature.added?.(member);
  };
  handle(a, b);
  handle(b, a);
}

export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

export const lineOf = (page: Page, id: string) => page.lines.find((line) => line.info.id === id);
export const stateOf = (page: Page, id: string) => lineOf(page, id)?.state;
export const fileOf = (size: number, name = 'data.bin') =>
  new File([Uint8Array.from({ length: size }, (_, i) => i % 253)], name, { type: 'application/octet-stream' });
export const sha = async (blob: Blob) =>
  createHash('sha256')
    .update(new Uint8Array(await blob.arrayBuffer()))
    .digest('hex');

/**
 * `page` reloads: gone from `other` (and `other` from it), then back as a new page with no
 * record of anything, under the same peer id (its resume ticket); `other` hears its link open.
 * 'keeping its tab': as a browser's reload, the page going (pagehide: Files.keepUnfinished)
 * before its links close, and the new page with the tab's storage.
 */
export function reload(other: Page, page: Page, tab?: 'keeping its tab'): Page {
  if (tab) page.files.keepUnfinished();
  page.members.get(other.id)?.dispose();
  other.members.get(page.id)?.dispose();
  const again = createPage(page.id, undefined, tab ? page.tab : undefined);
  link(other, again);
  const toAgain = other.members.get(again.id);
  assert.ok(toAgain);
  other.files.feature.opened?.(toAgain);
  return again;
}

/**
 * A member joins later: a new page `id`, linked to each of `pages`, its hello and theirs saying
 * `version` (null: none heard); each side hears the other's chat channel open.
 */
export function joinLater(pages: readonly Page[], id: string, version: number | null): Page {
  const page = createPage(id);
  for (const other of pages) link(other, page);
  hello([page], version);
  for (const other of pages) {
    const newcomer = other.members.get(id);
    assert.ok(newcomer);
    (newcomer as { version: number | null }).version = version;
    (newcomer as { cameAfterUs: boolean }).cameAfterUs = true;
    other.files.feature.opened?.(newcomer);
    const known = page.members.get(other.id);
    if (known) page.files.feature.opened?.(known);
  }
  return page;
}

/** Every page's hello to every other said `version` (MemberHandle.version; null: none heard). */
export function hello(pages: readonly Page[], version: number | null): void {
  for (const page of pages)
    for (const member of page.members.values()) (member as { version: number | null }).version = version;
}

export function room(...ids: string[]): Page[] {
  return roomStalling(undefined, ...ids);
}

/** A room whose file lines say stalled after `stallMs` without progress (STALL_MS if undefined). */
export function roomStalling(stallMs: number | undefined, ...ids: string[]): Page[] {
  const pages = ids.map((id) => createPage(id, stallMs));
  for (let i = 0; i < pages.length; i++)
    for (let j = i + 1; j < pages.length; j++) link(pages[i] as Page, pages[j] as Page);
  return pages;
}

/** The offers `page` sends the member `id` from now on (its handle's send, watched). */
export function offersTo(page: Page, id: string): FileOffer[] {
  const member = page.members.get(id);
  assert.ok(member);
  const offers: FileOffer[] = [];
  const send = member.send;
  member.send = (message) => {
    if (message.t === 'file:offer') offers.push(message);
    return send(message);
  };
  return offers;
}

export const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};
