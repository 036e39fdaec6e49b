// Page helpers for file transfers (issue 12), written against the stable hooks: file lines
// are message[data-kind=file][data-file-id][data-state][data-size] holding file-progress and,
// once verified, file-download; window.roomlink.sendFiles(files, to?) sends from a test.
//
// The root tsconfig has no DOM lib: functions that run in the page declare what they use.
import { expect, type Page } from '@playwright/test';

export type FileState = 'offered' | 'transferring' | 'verified' | 'corrupt' | 'declined' | 'cancelled';

interface PageGlobals {
  crypto: {
    getRandomValues(bytes: Uint8Array): Uint8Array;
    subtle: { digest(a: string, d: unknown): Promise<ArrayBuffer> };
  };
  File: new (parts: unknown[], name: string, options: { type: string }) => { size: number };
  roomlink: { sendFiles(files: unknown[], to?: string): Promise<string[]> };
  __testFiles?: Record<string, unknown>;
}
const inPage = () => globalThis as unknown as PageGlobals;

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

export function fileLine(page: Page, id: string) {
  return page.locator(`[data-testid=message][data-kind=file][data-file-id="${id}"]`);
}

export async function waitForFileState(page: Page, id: string, state: FileState, timeout = 60_000): Promise<void> {
  await expect(fileLine(page, id)).toHaveAttribute('data-state', state, { timeout });
}

/** SHA-256 (hex) of what the line's download link holds. */
export async function downloadedSha256(page: Page, id: string): Promise<string> {
  const href = await fileLine(page, id).getByTestId('file-download').getAttribute('href');
  if (!href?.startsWith('blob:')) throw new Error(`download link is not a blob: URL: ${href}`);
  return page.evaluate(async (url) => {
    const g = globalThis as unknown as PageGlobals & {
      fetch(u: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>;
    };
    const digest = new Uint8Array(await g.crypto.subtle.digest('SHA-256', await (await g.fetch(url)).arrayBuffer()));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, href);
}

export { inPage };
