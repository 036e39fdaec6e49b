// A verified file's download on its line. Its object URL keeps the whole file alive until
// revoked, link or no link (its bytes in memory, or its file in OPFS), and a file received to
// disk stays in OPFS until removed: when the line goes for good (past MAX_LINES) its URL is
// revoked and its file removed (drop), and a file verified after that gets no URL and is
// removed at once (file-line.ts ready). A line only off the page keeps both: it may come back.
// A click first reads a byte of the file: one whose stored copy went from the device (the
// browser's storage cleared, or its entry removed) is not offered as a download the browser
// only reports "canceled", and its line says it is gone (`gone`) instead.
import { stillReadable } from '../files/sink.ts';
import { el } from './dom.ts';

export interface FileDownload {
  /**
   * The link to `file`, by its object URL; `remove` takes the file off the device once the
   * line goes for good; `gone` is told, once, when a click finds the file no longer there
   * (the link is then taken off the line: see file-line.ts).
   */
  link(file: File, remove: () => Promise<void>, gone: () => void): HTMLAnchorElement;
  /** The line went for good: its URL revoked and its file removed, if it came. */
  drop(): void;
}

/** The download of the file `name`, once it comes. */
export function createFileDownload(name: string): FileDownload {
  let url: string | null = null;
  let remove: (() => Promise<void>) | null = null;
  const revoke = (): void => {
    if (url !== null) URL.revokeObjectURL(url);
    url = null;
  };
  return {
    link(file, removeFile, gone) {
      remove = removeFile;
      const link = el('a', { className: 'file-download', text: `Download ${name}`, testId: 'file-download' });
      url = URL.createObjectURL(file);
      link.href = url;
      link.download = name;
      link.rel = 'noopener';
      /** The click this link makes itself once the file read: let through to the download. */
      let checked = false;
      let checking = false;
      link.addEventListener('click', (event) => {
        if (checked) return;
        event.preventDefault();
        if (checking) return;
        checking = true;
        void stillReadable(file).then((readable) => {
          checking = false;
          if (url === null) return; // the line went for good meanwhile
          if (!readable) {
            revoke();
            gone();
            return;
          }
          // Within the click's user activation (a read of one byte takes milliseconds), so the
          // browser takes it as the person's download, as the click itself would have been.
          checked = true;
          link.click();
          checked = false;
        });
      });
      return link;
    },
    drop() {
      revoke();
      if (remove !== null) void remove();
    },
  };
}
