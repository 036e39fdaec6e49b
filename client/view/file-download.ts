// A verified file's download on its line. Its object URL keeps the whole file alive until
// revoked, link or no link (its bytes in memory, or its file in OPFS), and a file received to
// disk stays in OPFS until removed: when the line goes for good (past MAX_LINES) its URL is
// revoked and its file removed (drop), and a file verified after that gets no URL and is
// removed at once (file-line.ts ready). A line only off the page keeps both: it may come back.
import { el } from './dom.ts';

export interface FileDownload {
  /** The link to `file`, by its object URL; `remove` takes the file off the device once the line goes for good. */
  link(file: File, remove: () => Promise<void>): HTMLAnchorElement;
  /** The line went for good: its URL revoked and its file removed, if it came. */
  drop(): void;
}

/** The download of the file `name`, once it comes. */
export function createFileDownload(name: string): FileDownload {
  let url: string | null = null;
  let remove: (() => Promise<void>) | null = null;
  return {
    link(file, removeFile) {
      remove = removeFile;
      const link = el('a', { className: 'file-download', text: `Download ${name}`, testId: 'file-download' });
      url = URL.createObjectURL(file);
      link.href = url;
      link.download = name;
      link.rel = 'noopener';
      return link;
    },
    drop() {
      if (url !== null) URL.revokeObjectURL(url);
      if (remove !== null) void remove();
    },
  };
}
