// Edits and deletions of lines this page does not hold (yet), each checked against its
// author's key before it comes here (edits-received.ts): kept for the line however late it comes (a
// catch-up, history from another member), and for quotes of the line meanwhile, which show
// what its author made of it rather than the excerpt a reply carries (view/replies.ts).
//
// Bounded three ways, each pushing out what is least needed: the newest PER_AUTHOR of each
// author (a member editing lines of its own by the thousand pushes out only its own); AUTHORS
// authors, those no longer here going first (a member rejoining under new ids pushes out its
// old ids); and TEXT_LIMIT characters of edited text in all, taken from the author holding
// the most (so a member's long edits of lines nobody has push out its own first). A deletion
// carries no text and costs only its entry.
import type { MessageOf } from '../../protocol/index.ts';

type EditMessage = MessageOf<'chat:edit'>;

/** Revisions kept, at most: of each author, and authors (a room holds 16; those here go last). */
export const PER_AUTHOR = 200;
const AUTHORS = 32;
/** Characters of edited text kept in all: a member's chat budget at once (protocol/channel). */
export const TEXT_LIMIT = 200_000;

export interface UnheldOptions {
  /** The ids of the members here now (their revisions are pushed out last). */
  here(): Set<string>;
}

export function createUnheld({ here }: UnheldOptions) {
  /** By author, then line id, the newest last. */
  const byAuthor = new Map<string, Map<string, EditMessage>>();
  /** Characters of edited text held, by author, and in all. */
  const textOf = new Map<string, number>();
  let text = 0;
  /** Revisions pushed out before their line came. */
  let pushedOut = 0;

  function remove(author: string, id: string): EditMessage | undefined {
    const mine = byAuthor.get(author);
    const message = mine?.get(id);
    if (mine === undefined || message === undefined) return undefined;
    mine.delete(id);
    const length = message.text?.length ?? 0;
    text -= length;
    textOf.set(author, (textOf.get(author) ?? 0) - length);
    if (mine.size === 0) {
      byAuthor.delete(author);
      textOf.delete(author);
    }
    return message;
  }

  function dropAuthor(author: string): void {
    pushedOut += byAuthor.get(author)?.size ?? 0;
    text -= textOf.get(author) ?? 0;
    byAuthor.delete(author);
    textOf.delete(author);
  }

  /** The author longest without a revision of those no longer here, else of all. */
  function leastNeeded(): string | undefined {
    const present = here();
    return [...byAuthor.keys()].find((id) => !present.has(id)) ?? byAuthor.keys().next().value;
  }

  /** Drops the oldest edit (not a deletion: it holds no text) of the author holding the most text. */
  function dropLongest(): boolean {
    let most: string | undefined;
    for (const [author, length] of textOf) if (most === undefined || length > (textOf.get(most) ?? 0)) most = author;
    const mine = most === undefined ? undefined : byAuthor.get(most);
    for (const [id, message] of mine ?? []) {
      if (message.text === undefined || most === undefined) continue;
      remove(most, id);
      pushedOut++;
      return true;
    }
    return false;
  }

  return {
    /**
     * Keeps a checked revision of `author`'s line: false when one as new is held, or a deletion
     * (final). A revision kept replaces the line's earlier one.
     */
    keep(author: string, message: EditMessage): boolean {
      const before = byAuthor.get(author)?.get(message.id);
      if (before !== undefined && (before.text === undefined || before.at >= message.at)) return false;
      remove(author, message.id);
      const mine = byAuthor.get(author) ?? new Map<string, EditMessage>();
      // The author with the newest revision goes last.
      byAuthor.delete(author);
      byAuthor.set(author, mine);
      mine.set(message.id, message);
      const length = message.text?.length ?? 0;
      text += length;
      textOf.set(author, (textOf.get(author) ?? 0) + length);
      const oldest = mine.keys().next().value;
      if (mine.size > PER_AUTHOR && oldest !== undefined) {
        remove(author, oldest);
        pushedOut++;
      }
      while (byAuthor.size > AUTHORS) {
        const author = leastNeeded();
        if (author === undefined) break;
        dropAuthor(author);
      }
      while (text > TEXT_LIMIT && dropLongest());
      return true;
    },
    /** The revision kept of this line, if any. */
    get: (author: string, id: string): EditMessage | undefined => byAuthor.get(author)?.get(id),
    /** Forgets the revision kept of this line (it came, and took it). */
    forget(author: string, id: string): void {
      remove(author, id);
    },
    /** Revisions pushed out before their line came (EditCounts.unknown). */
    pushedOut: (): number => pushedOut,
    /** Characters of edited text held (tests). */
    text: (): number => text,
  };
}

export type Unheld = ReturnType<typeof createUnheld>;
