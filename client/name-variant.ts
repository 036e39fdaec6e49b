// A free variant of a name that is taken in the room ("Alice" → "Alice 2"), offered when the
// server refuses a name without suggesting one itself. The server's suggestion wins when it
// has one: it sees every member, across nodes; this sees the members we know of.
import { foldName, NAME_MAX_LENGTH } from '../protocol/index.ts';

/** Variants tried before giving up on numbering (a room never holds this many). */
const MAX_VARIANT = 999;

/**
 * The first "<name> N" (N = 2, 3, …) whose key is not among `taken`, shortened so it stays
 * within the name length limit. A trailing number is replaced, not extended: "Alice 2"
 * taken gives "Alice 3", not "Alice 2 2".
 */
export function freeNameVariant(name: string, taken: Iterable<string>): string {
  const keys = new Set<string>();
  for (const other of taken) keys.add(foldName(other));
  const base = name.trim().replace(/\s+\d{1,3}$/u, '') || name.trim();
  for (let n = 2; n <= MAX_VARIANT; n++) {
    const suffix = ` ${n}`;
    const room = NAME_MAX_LENGTH - suffix.length;
    const candidate = `${[...base].slice(0, room).join('').trimEnd()}${suffix}`;
    if (!keys.has(foldName(candidate))) return candidate;
  }
  return `${[...base].slice(0, NAME_MAX_LENGTH - 5).join('')} ${Math.floor(1000 + Math.random() * 9000)}`;
}
