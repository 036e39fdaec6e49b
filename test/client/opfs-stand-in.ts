// A stand-in for the origin's private file system (OPFS), as files/sink.ts uses it, put on
// navigator.storage (Node has none): folders of files, each written through one sync access
// handle at a time (a second is refused as the browser refuses it, NoModificationAllowedError),
// names that are not a plain name refused (TypeError), and removal refused while a handle is
// open. `pageGone` ends every handle made so far, as the end of a page's workers does: its
// access handles close, and nothing more it asks of them, or of its folders, is done.

export interface StandInFile {
  bytes: Uint8Array;
  open: boolean;
}

export function installOpfsStandIn() {
  const folders = new Map<string, Map<string, StandInFile>>();
  /** Every name a folder was asked to open, in order. */
  const asked: string[] = [];
  /** What the pages made so far can still touch; pageGone ends each. */
  const ends = new Set<() => void>();
  const refuse = (name: string, message: string) => new DOMException(message, name);

  function folderHandle(files: Map<string, StandInFile>) {
    let gone = false;
    ends.add(() => {
      gone = true;
    });
    return {
      async getFileHandle(name: string, options?: { create?: boolean }) {
        if (gone) throw refuse('InvalidStateError', 'its page is gone');
        asked.push(name);
        if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) throw new TypeError('not a name');
        let file = files.get(name);
        if (!file) {
          if (!options?.create) throw refuse('NotFoundError', 'not found');
          file = { bytes: new Uint8Array(0), open: false };
          files.set(name, file);
        }
        const found = file;
        return {
          kind: 'file' as const,
          async getFile() {
            return new File([found.bytes.slice()], name);
          },
          async createSyncAccessHandle() {
            if (found.open) throw refuse('NoModificationAllowedError', 'another handle is open');
            found.open = true;
            let closed = false;
            const access = {
              write(buffer: Uint8Array, { at }: { at: number }) {
                if (closed) throw refuse('InvalidStateError', 'closed');
                const end = at + buffer.byteLength;
                if (end > found.bytes.byteLength) {
                  const grown = new Uint8Array(end);
                  grown.set(found.bytes);
                  found.bytes = grown;
                }
                found.bytes.set(buffer, at);
                return buffer.byteLength;
              },
              read(buffer: Uint8Array, { at }: { at: number }) {
                if (closed) throw refuse('InvalidStateError', 'closed');
                const part = found.bytes.subarray(at, at + buffer.byteLength);
                buffer.set(part);
                return part.byteLength;
              },
              getSize: () => found.bytes.byteLength,
              truncate(size: number) {
                found.bytes = found.bytes.slice(0, size);
              },
              flush() {},
              close() {
                if (closed) return;
                closed = true;
                found.open = false;
              },
            };
            ends.add(access.close);
            return access;
          },
        };
      },
      async removeEntry(name: string) {
        if (gone) throw refuse('InvalidStateError', 'its page is gone');
        const file = files.get(name);
        if (!file) throw refuse('NotFoundError', 'not found');
        if (file.open) throw refuse('NoModificationAllowedError', 'in use');
        files.delete(name);
      },
    };
  }

  const root = {
    async getDirectoryHandle(name: string, options?: { create?: boolean }) {
      let files = folders.get(name);
      if (!files) {
        if (!options?.create) throw refuse('NotFoundError', 'not found');
        files = new Map();
        folders.set(name, files);
      }
      return folderHandle(files);
    },
  };
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: { storage: { getDirectory: async () => root } },
  });
  return {
    /** The files of the received files' folder (sink.ts), by name. */
    files(): Map<string, StandInFile> {
      let files = folders.get('roomlink-files');
      if (!files) {
        files = new Map();
        folders.set('roomlink-files', files);
      }
      return files;
    },
    asked,
    /** A page went: its workers, and every access handle they held, with it. */
    pageGone(): void {
      for (const end of [...ends]) end();
      ends.clear();
    },
  };
}
