// Who wrote what, as far as this page can tell: every member seen during the page's life,
// with its server-accepted name and the signing keys this page vouched for as its own (a
// hello whose room-key proof checked, or its proven join announcement: member-key.ts). History
// lines are checked against these keys, never against the member who relays them.
import { type HistoryLine, normalizeName } from '../../protocol/index.ts';
import { keysMeet, keysWithSkeleton, type NameKeys, NO_TABLE } from '../../protocol/name-skeleton.ts';
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';
import { verifyDeletion, verifyLine } from '../identity.ts';
import type { LineVerification } from './chat.ts';

/** Authors remembered (members seen during this page's life; oldest forgotten first). */
const DIRECTORY_LIMIT = 1_000;
/**
 * Signing keys remembered per author, the newest. A tab keeps its key across reloads
 * (identity.ts), so an honest member has one; but a member may say hello with a fresh key
 * (and a valid room-key proof) every few seconds, and every history line of its id is
 * checked against each key we hold: 300 keys made 200 lines cost 2.4 s.
 */
export const MAX_KEYS_PER_AUTHOR = 4;

/** Names compared as the server compares them, before the confusables table came (twins.ts). */
export const nameKeysWithoutTable = (name: string): NameKeys => keysWithSkeleton(name, NO_TABLE);

/**
 * Whether `name` looks like ours or that of a member here, compared as the server compares
 * names (`nameKeys`: case, width, "I" for "l", and look-alike letters once the page has the
 * confusables table, in either case): something taken on a relaying member's word under it (a history line,
 * a history reaction) would pass for theirs. "AIice" with a capital I reads as "Alice". So is
 * a name no member could have (the server refuses it: mixed look-alike scripts, invisible
 * characters): "Bоb" with a Cyrillic о reads as "Bob", and only a relaying member's
 * invention carries it.
 */
export function nameIsHere(
  name: string,
  selfName: string,
  members: Iterable<MemberHandle>,
  nameKeys: (name: string) => NameKeys = nameKeysWithoutTable,
): boolean {
  if (!normalizeName(name).ok) return true;
  const claimed = nameKeys(name);
  if (keysMeet(nameKeys(selfName), claimed)) return true;
  for (const member of members) if (!member.disposed && keysMeet(nameKeys(member.name), claimed)) return true;
  return false;
}

export interface Author {
  /**
   * The keys it announced while we knew it, oldest first, at most MAX_KEYS_PER_AUTHOR (a
   * repaired link brings the same one again).
   */
  keys: Set<string>;
  name: string;
  /** Its hello was checked: what we know of its key is all we will know. */
  heard: boolean;
}

/** Where an author stands among the members here under one name (authorUnder). */
export interface AuthorUnder {
  /**
   * One of them holds one of the author's keys (signed for its link with it, or sealed with
   * the key that key signed: keyHeld), so is the author, whatever its id now: a tab that kept
   * its key but not its id.
   */
  held: boolean;
  /**
   * Those that carry one of its keys (announced it, or their link's hello did) without having
   * proved they hold it yet: the author back under a new id, its proof on the way, or one that
   * took its key to pass for it.
   */
  carriers: MemberHandle[];
}

/**
 * The author among the members here under `name` (compared by `nameKeys`). Never under our own
 * name (`selfName`): a line under it would pass for ours, whoever holds the key. Nor under
 * another name than the line's: a holder named otherwise leaves it to pass for whoever has it.
 */
export function authorUnder(
  author: Author | undefined,
  members: Iterable<MemberHandle>,
  name: string,
  selfName: string,
  nameKeys: (name: string) => NameKeys = nameKeysWithoutTable,
): AuthorUnder {
  const found: AuthorUnder = { held: false, carriers: [] };
  const claimed = nameKeys(name);
  if (author === undefined || keysMeet(nameKeys(selfName), claimed)) return found;
  for (const member of members) {
    if (member.disposed || member.key === null || !author.keys.has(member.key)) continue;
    if (!keysMeet(nameKeys(member.name), claimed)) continue;
    if (member.keyHeld) found.held = true;
    else found.carriers.push(member);
  }
  return found;
}

export interface Authors {
  /** Takes the member's name and, once its hello was checked (`heard`), its key. */
  learn(member: MemberHandle, heard?: boolean): void;
  /**
   * A key that checked a line of `id`'s (history-checks.ts, a key a member here carries): one
   * it signed with, so one its other lines, edits and reactions are checked with too.
   */
  signedWith(id: string, name: string, key: string): void;
  get(id: string): Author | undefined;
}

export function createAuthors(): Authors {
  const authors = new Map<string, Author>();
  function authorOf(id: string, name: string): Author {
    let author = authors.get(id);
    if (!author) {
      author = { keys: new Set(), name, heard: false };
      authors.set(id, author);
      dropOldest(authors, DIRECTORY_LIMIT);
    }
    return author;
  }
  function addKey(author: Author, key: string): void {
    // Heard again: the newest, the last to be forgotten.
    author.keys.delete(key);
    author.keys.add(key);
    for (const oldest of author.keys) {
      if (author.keys.size <= MAX_KEYS_PER_AUTHOR) break;
      author.keys.delete(oldest);
    }
  }
  return {
    learn(member, heard = false) {
      const author = authorOf(member.id, member.name);
      author.name = member.name;
      author.heard ||= heard;
      // Only a key its page vouches for (member-key.ts): a link's key once it proved the room key
      // and agrees with the announced one, or the announced key once its proof checked.
      if (member.key !== null) addKey(author, member.key);
    },
    signedWith(id, name, key) {
      addKey(authorOf(id, name), key);
    },
    get: (id) => authors.get(id),
  };
}

/**
 * 'true' when one of the author's keys checks the signature, 'false' when the author has a
 * key and none does (altered, invented, or the signature stripped), 'relayed' when we never
 * learned a key for the author and cannot tell.
 */
export async function checkLine(line: HistoryLine, author: Author | undefined): Promise<LineVerification> {
  if (!author || author.keys.size === 0) return 'relayed';
  if (line.sig === undefined) return 'false';
  const { sig } = line;
  const { from, id, ts, text, re, edited, deleted } = line;
  // A deleted line's signature is its deletion's; an edited one's, its edit's (identity.ts).
  const fits = async (key: string): Promise<boolean> => {
    if (deleted !== undefined) return verifyDeletion(key, sig, { from, id, ts, at: deleted });
    return text !== undefined && verifyLine(key, sig, { from, id, ts, text, re, edited });
  };
  for (const key of author.keys) {
    if (await fits(key)) return 'true';
  }
  return 'false';
}
