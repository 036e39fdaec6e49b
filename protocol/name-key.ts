// Comparing names for uniqueness in a room (the server's job, hence not exported from
// protocol/index.ts: the confusables table it needs is 100 KB the page does not need).
import unhomoglyph from 'unhomoglyph';
import { NAME_MAX_LENGTH } from './limits.ts';
import { stripInvisible } from './name-fold.ts';
import { keysMeet, keysWithSkeleton, type NameKeys } from './name-skeleton.ts';

/**
 * The TR39 skeleton of a text (NFD, each character replaced by its prototype from Unicode's
 * confusables.txt, NFD again): two texts that look alike have the same skeleton ("раураl" in
 * Cyrillic and "paypal"; "rn" and "m"; "0" and "O").
 */
export function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * The keys by which two names are compared for uniqueness in a room (keysWithSkeleton says
 * why a name has two): NFKC (so "Ａlice" and "Alice" meet), invisible characters removed,
 * case folded, look-alikes made one by their TR39 skeleton, inner spaces collapsed. Case is
 * folded, so "ALICE" and "alice" meet; an upper-case "I" is then an "i", yet in most
 * sans-serif fonts it is drawn as an "l": "AIice" would join a room with "Alice", list as her
 * and take her mentions from anyone who picks the wrong one. So "i" and "l" are one letter
 * here, at the cost of a rare honest pair ("Ali" and "All": the second is offered "All 2").
 */
export function nameKeys(name: string): NameKeys {
  return keysWithSkeleton(name, skeleton);
}

/** Whether two names are one name in a room (they share a key). */
export const sameName = (a: string, b: string): boolean => keysMeet(nameKeys(a), nameKeys(b));

/** A trailing " 2", " 3"…: stripped before numbering, so "Alice 2" taken suggests "Alice 3". */
const TRAILING_NUMBER = /\s+\d+$/u;

/**
 * The first of "name 2", "name 3", … none of whose nameKeys is taken (`taken`: every key of
 * the names in the room), cut to fit the length limit. At most `taken.size + 1` tries: among
 * that many variants one is always free.
 */
export function freeVariant(name: string, taken: ReadonlySet<string>): string {
  const visible = stripInvisible(name);
  const base = visible.replace(TRAILING_NUMBER, '') || visible;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const room = NAME_MAX_LENGTH - suffix.length;
    const candidate = `${[...base].slice(0, room).join('').trimEnd()}${suffix}`;
    if (!nameKeys(candidate).some((key) => taken.has(key))) return candidate;
  }
}
