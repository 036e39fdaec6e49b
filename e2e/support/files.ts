// Page helpers for file transfers (issue 12), written against the stable hooks: file lines
// are message[data-kind=file][data-file-id][data-state][data-size] holding file-progress and,
// once verified, file-download; window.roomlink.sendFiles(files, to?) sends from a test.
//
// The root tsconfig has no DOM lib: functions that run in the page declare what they use.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export type FileState = 'offered' | 'transferring' | 'verified' | 'corrupt' | 'declined' | 'cancelled';

interface PageGlobals {
  crypto: {
    getRandomValues(bytes: Uint8Array): Uint8Array;
    subtle: { digest(a: string, d: unknown): Promise<ArrayBuffer> };
  };
  File: new (parts: unknown[], name: string, options: { type: string }) => { size: number };
  roomlink: {
    sendFiles(files: unknown[], to?: string): Promise<string[]>;
    sendPrivate(peerId: string, text: string): string | null;
  };
  __testFiles?: Record<string, unknown>;
}

export interface MadeFile {
  readonly name: string;
  readonly size: number;
  /** SHA-256 of the contents, hex. */
  readonly sha256: string;
}

/**
 * Makes a file of `size` random bytes in the page (kept in window.__testFiles under its
 * name) and returns its SHA-256. `text` instead of random bytes gives a file with that text.
 */
export async function makeFile(
  page: Page,
  file: { name: string; type?: string; size?: number; text?: string },
): Promise<MadeFile> {
  return page.evaluate(
    async ({ name, type, size, text }) => {
      const g = globalThis as unknown as PageGlobals;
      const parts: Uint8Array[] = [];
      if (text !== undefined) parts.push(new TextEncoder().encode(text));
      else {
        for (let done = 0; done < size; done += 65_536) {
          parts.push(g.crypto.getRandomValues(new Uint8Array(Math.min(65_536, size - done))));
        }
      }
      const made = new g.File(parts, name, { type });
      g.__testFiles = { ...(g.__testFiles ?? {}), [name]: made };
      const whole = new Uint8Array(made.size);
      let at = 0;
      for (const part of parts) {
        whole.set(part, at);
        at += part.byteLength;
      }
      const digest = new Uint8Array(await g.crypto.subtle.digest('SHA-256', whole));
      return { name, size: made.size, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') };
    },
    { name: file.name, type: file.type ?? 'application/octet-stream', size: file.size ?? 0, text: file.text },
  );
}

/** Sends files made by makeFile (by name) to the room, or to one member; returns transfer ids. */
export async function sendFiles(page: Page, names: readonly string[], to?: string): Promise<string[]> {
  return page.evaluate(
    ({ names, to }) => {
      const g = globalThis as unknown as PageGlobals;
      const files = names.map((name) => g.__testFiles?.[name]);
      return to === undefined ? g.roomlink.sendFiles(files) : g.roomlink.sendFiles(files, to);
    },
    { names: [...names], ...(to === undefined ? {} : { to }) },
  );
}

/**
 * Sends a file made by makeFile and, in the same task (while the file is still being hashed),
 * a line: to the room with Send (the line already in the message box), or privately to `to`.
 * Returns the transfer's id.
 */
export async function sendFileThenLine(page: Page, name: string, text: string, to?: string): Promise<string> {
  if (to === undefined) await page.getByTestId('message-input').fill(text);
  const [id] = await page.evaluate(
    ({ name, text, to }) => {
      const g = globalThis as unknown as PageGlobals;
      const ids =
        to === undefined
          ? g.roomlink.sendFiles([g.__testFiles?.[name]])
          : g.roomlink.sendFiles([g.__testFiles?.[name]], to);
      const page = globalThis as unknown as { document: { querySelector(s: string): { click(): void } | null } };
      if (to === undefined) page.document.querySelector('[data-testid=send-button]')?.click();
      else g.roomlink.sendPrivate(to, text);
      return ids;
    },
    { name, text, ...(to === undefined ? {} : { to }) },
  );
  if (id === undefined) throw new Error('no transfer id');
  return id;
}

/** In which order the page shows the file's line and the chat line with this text (null: either is missing). */
export function shownOrder(page: Page, id: string, text: string): Promise<'file, line' | 'line, file' | null> {
  return page.getByTestId('message').evaluateAll(
    (lines: Array<{ dataset: Record<string, string | undefined>; textContent: string | null }>, { id, text }) => {
      const file = lines.findIndex((line) => line.dataset['fileId'] === id);
      const chat = lines.findIndex(
        (line) => line.dataset['kind'] === 'chat' && (line.textContent ?? '').includes(text),
      );
      if (file === -1 || chat === -1) return null;
      return file < chat ? 'file, line' : 'line, file';
    },
    { id, text },
  );
}

export function fileLine(page: Page, id: string) {
  return page.locator(`[data-testid=message][data-kind=file][data-file-id="${id}"]`);
}

/** Whether the file's line is under the history marker ("Before you joined"), among the earlier lines. */
export function amongEarlierLines(page: Page, id: string): Promise<boolean> {
  return page.getByTestId('history-marker').evaluate((marker, fileId) => {
    const line = (
      globalThis as unknown as { document: { querySelector(s: string): object | null } }
    ).document.querySelector(`[data-file-id="${fileId}"]`);
    return (
      line !== null &&
      (marker as unknown as { compareDocumentPosition(o: object): number }).compareDocumentPosition(line) === 4
    );
  }, id);
}

export async function waitForFileState(page: Page, id: string, state: FileState, timeout = 60_000): Promise<void> {
  await expect(fileLine(page, id)).toHaveAttribute('data-state', state, { timeout });
}

/**
 * Clicks the line's file-download link as a user would and returns what the browser saved:
 * its suggested name and SHA-256 (hex). Also proves the page's CSP lets the download happen.
 */
export async function download(page: Page, id: string): Promise<{ name: string; sha256: string }> {
  const link = fileLine(page, id).getByTestId('file-download');
  const href = await link.getAttribute('href');
  if (!href?.startsWith('blob:')) throw new Error(`download link is not a blob: URL: ${href}`);
  const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await saved.path();
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path)) hash.update(piece as Buffer);
  return { name: saved.suggestedFilename(), sha256: hash.digest('hex') };
}

/** A small PNG drawn in the page (kept in window.__testFiles under its name). */
export async function makePng(page: Page, name: string): Promise<void> {
  await page.evaluate(async (fileName) => {
    const g = globalThis as unknown as PageGlobals & {
      OffscreenCanvas: new (
        w: number,
        h: number,
      ) => {
        getContext(kind: '2d'): { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void };
        convertToBlob(options: { type: string }): Promise<unknown>;
      };
    };
    const canvas = new g.OffscreenCanvas(64, 48);
    const context = canvas.getContext('2d');
    context.fillStyle = '#c33';
    context.fillRect(0, 0, 64, 48);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    g.__testFiles = { ...(g.__testFiles ?? {}), [fileName]: new g.File([blob], fileName, { type: 'image/png' }) };
  }, name);
}

/**
 * Makes this page a hostile member for file transfers: `rule` rewrites what goes out on
 * data channels — JSON text on the chat channel, binary chunks on file channels.
 * `lieAboutSize` adds that many bytes to the size the next offer declares; `extraOffers`
 * sends the next offer again that many times under fresh ids (a flood of offers).
 * `holdAcks` keeps this page's file:acks (what it confirms stored) until releaseAcks: its
 * senders stop at their window (client/files/pump.ts), the transfer under way, until then.
 */
export async function tamperOutgoing(
  page: Page,
  rule: {
    corruptChunk?: number;
    renameOffer?: string;
    dropAcks?: boolean;
    holdAcks?: boolean;
    lieAboutSize?: number;
    extraOffers?: number;
  },
): Promise<void> {
  await page.evaluate((r) => {
    interface ChannelLike {
      label: string;
      readyState: string;
    }
    const g = globalThis as unknown as {
      RTCDataChannel: { prototype: { send(this: ChannelLike, data: unknown): void } };
      __releaseAcks?: () => void;
    };
    const original = g.RTCDataChannel.prototype.send;
    let chunks = 0;
    let offers = 0;
    const held: { channel: ChannelLike; data: string }[] = [];
    let holding = r.holdAcks === true;
    if (holding) {
      // Sent as they would have been, in order, each on its own channel (if still open: on one
      // closed meanwhile they are lost, as they would have been).
      g.__releaseAcks = () => {
        holding = false;
        for (const { channel, data } of held.splice(0)) if (channel.readyState === 'open') original.call(channel, data);
      };
    }
    g.RTCDataChannel.prototype.send = function (this: ChannelLike, data: unknown) {
      if (typeof data === 'string') {
        if (r.dropAcks && data.includes('"t":"file:ack"')) return;
        if (holding && data.includes('"t":"file:ack"')) {
          held.push({ channel: this, data });
          return;
        }
        const tampersOffers =
          r.renameOffer !== undefined || r.lieAboutSize !== undefined || r.extraOffers !== undefined;
        if (tampersOffers && data.includes('"t":"file:offer"')) {
          const offer = JSON.parse(data) as { id: string; name: string; size: number };
          const first = offers++ === 0;
          if (r.renameOffer !== undefined) offer.name = r.renameOffer;
          if (r.lieAboutSize !== undefined && first) offer.size += r.lieAboutSize;
          original.call(this, JSON.stringify(offer));
          for (let copy = 0; first && copy < (r.extraOffers ?? 0); copy++) {
            const id = `${offer.id.slice(0, -4)}${String(copy).padStart(4, '0')}`;
            original.call(this, JSON.stringify({ ...offer, id }));
          }
          return;
        }
      } else if (data instanceof ArrayBuffer && this.label.startsWith('file:') && chunks++ === r.corruptChunk) {
        const copy = new Uint8Array(data.slice(0));
        copy[100] = (copy[100] ?? 0) ^ 0xff;
        return original.call(this, copy.buffer);
      }
      return original.call(this, data);
    };
  }, rule);
}

/** Sends the file:acks this page held (tamperOutgoing's holdAcks), and holds none from now on. */
export async function releaseAcks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const release = (globalThis as unknown as { __releaseAcks?: () => void }).__releaseAcks;
    if (!release) throw new Error('tamperOutgoing({ holdAcks: true }) was not called on this page');
    release();
  });
}

/**
 * Counts, from now on, the bytes this page puts on transfer channels (file:<id>): its chunks,
 * as they go. sentFileBytes reads the count; calling this again starts it over.
 */
export async function countFileBytes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      RTCDataChannel: { prototype: { send(this: { label: string }, data: unknown): void } };
      __fileBytes?: number;
    };
    if (g.__fileBytes === undefined) {
      const original = g.RTCDataChannel.prototype.send;
      g.RTCDataChannel.prototype.send = function (this: { label: string }, data: unknown) {
        if (data instanceof ArrayBuffer && this.label.startsWith('file:'))
          g.__fileBytes = (g.__fileBytes ?? 0) + data.byteLength;
        return original.call(this, data);
      };
    }
    g.__fileBytes = 0;
  });
}

/** Bytes put on transfer channels since countFileBytes. */
export function sentFileBytes(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { __fileBytes?: number }).__fileBytes ?? 0);
}

/**
 * Bytes this page has stored of transfer `id` in its private file system (client/files/sink.ts:
 * entries named `<id>-…`), the most any entry of it holds; 0 when there is none.
 */
export function storedFileBytes(page: Page, id: string): Promise<number> {
  return page.evaluate(async (fileId) => {
    interface Handle {
      kind: string;
      getFile(): Promise<{ size: number }>;
    }
    const storage = (
      globalThis as unknown as {
        navigator: {
          storage: {
            getDirectory(): Promise<{
              getDirectoryHandle(name: string): Promise<{ entries(): AsyncIterable<[string, Handle]> }>;
            }>;
          };
        };
      }
    ).navigator.storage;
    const folder = await (await storage.getDirectory()).getDirectoryHandle('roomlink-files');
    let most = 0;
    for await (const [name, handle] of folder.entries()) {
      if (name.startsWith(`${fileId}-`) && handle.kind === 'file') most = Math.max(most, (await handle.getFile()).size);
    }
    return most;
  }, id);
}

/**
 * Removes every entry of transfer `id` from this page's private file system, as the browser
 * clearing its storage would (or anything else that takes the stored copy away); the number
 * removed.
 */
export function removeStoredFile(page: Page, id: string): Promise<number> {
  return page.evaluate(async (fileId) => {
    interface Folder {
      keys(): AsyncIterable<string>;
      removeEntry(name: string): Promise<void>;
    }
    const storage = (
      globalThis as unknown as {
        navigator: { storage: { getDirectory(): Promise<{ getDirectoryHandle(name: string): Promise<Folder> }> } };
      }
    ).navigator.storage;
    const folder = await (await storage.getDirectory()).getDirectoryHandle('roomlink-files');
    const names: string[] = [];
    for await (const name of folder.keys()) if (name.startsWith(`${fileId}-`)) names.push(name);
    for (const name of names) await folder.removeEntry(name);
    return names.length;
  }, id);
}

/**
 * Pastes (into message-input) or drops (on the chat) a file made by makeFile/makePng; or only
 * drags it over the chat, not letting go.
 */
export async function pasteOrDrop(page: Page, how: 'paste' | 'drop' | 'drag', name: string): Promise<void> {
  await page.evaluate(
    ({ how, name }) => {
      interface Target {
        dispatchEvent(event: unknown): boolean;
      }
      const g = globalThis as unknown as PageGlobals & {
        document: { querySelector(s: string): Target | null };
        DataTransfer: new () => { items: { add(file: unknown): void } };
        ClipboardEvent: new (type: string, init: object) => unknown;
        DragEvent: new (type: string, init: object) => unknown;
      };
      const data = new g.DataTransfer();
      data.items.add(g.__testFiles?.[name]);
      const init = { bubbles: true, cancelable: true };
      if (how === 'paste') {
        g.document
          .querySelector('[data-testid=message-input]')
          ?.dispatchEvent(new g.ClipboardEvent('paste', { ...init, clipboardData: data }));
      } else {
        const chat = g.document.querySelector('#messages');
        chat?.dispatchEvent(new g.DragEvent('dragover', { ...init, dataTransfer: data }));
        if (how === 'drop') chat?.dispatchEvent(new g.DragEvent('drop', { ...init, dataTransfer: data }));
      }
    },
    { how, name },
  );
}

/** What watchFileLines saw of the page's file lines since it began. */
export interface FileWatch {
  /** Ids of the lines that went `transferring`, in the order they did. */
  started: string[];
  /** The most lines `transferring` at once. */
  most: number;
  /** Each line's words as they changed (its status, then its recipients'), by id. */
  said: Record<string, string[]>;
}

/**
 * Watches the page's file lines from now on (a MutationObserver, so nothing is missed between
 * two looks): read what it saw with fileWatch. Lines that start in one task are listed in the
 * order they did; one already started when it comes onto the page, when it does.
 */
export async function watchFileLines(page: Page): Promise<void> {
  await page.evaluate(() => {
    interface Line {
      dataset: Record<string, string | undefined>;
      querySelector(s: string): { textContent: string | null } | null;
    }
    interface Record_ {
      type: string;
      attributeName: string | null;
      target: Line;
    }
    const g = globalThis as unknown as {
      document: { body: unknown; querySelectorAll(s: string): Iterable<Line> };
      MutationObserver: new (
        callback: (records: Record_[]) => void,
      ) => { observe(target: unknown, options: object): void };
      __fileWatch?: { started: string[]; most: number; said: Record<string, string[]> };
    };
    const watch = { started: [] as string[], most: 0, said: {} as Record<string, string[]> };
    g.__fileWatch = watch;
    new g.MutationObserver((records) => {
      for (const record of records) {
        const { dataset } = record.target;
        const id = dataset['fileId'];
        if (record.attributeName !== 'data-state' || id === undefined) continue;
        if (dataset['state'] === 'transferring' && !watch.started.includes(id)) watch.started.push(id);
      }
      const lines = [...g.document.querySelectorAll('[data-testid=message][data-kind=file]')];
      // A line may come onto the page already started (its state changed before it was put there).
      for (const line of lines) {
        const id = line.dataset['fileId'] ?? '';
        if (line.dataset['state'] === 'transferring' && !watch.started.includes(id)) watch.started.push(id);
      }
      watch.most = Math.max(watch.most, lines.filter((line) => line.dataset['state'] === 'transferring').length);
      for (const line of lines) {
        const id = line.dataset['fileId'] ?? '';
        const words = ['.file-status-words', '[data-testid=file-recipients]']
          .map((hook) => line.querySelector(hook)?.textContent?.trim() ?? '')
          .join(' | ')
          .trim();
        const said = watch.said[id] ?? [];
        watch.said[id] = said;
        if (said.at(-1) !== words) said.push(words);
      }
    }).observe(g.document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export function fileWatch(page: Page): Promise<FileWatch> {
  return page.evaluate(() => {
    const watch = (globalThis as unknown as { __fileWatch?: FileWatch }).__fileWatch;
    if (!watch) throw new Error('watchFileLines was not called on this page');
    return watch;
  });
}
