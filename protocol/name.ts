import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from './limits.ts';

// Control characters would let a name break the layout of other people's screens or
// logs; bidi overrides would let it reorder text around it ("evil\u202Egnp.exe").
const FORBIDDEN_IN_NAME = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

export type NameResult = { ok: true; name: string } | { ok: false; reason: string };

/** Trims and checks a display name: 1–32 characters (code points), no control characters. */
export function normalizeName(raw: unknown): NameResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'name must be a string' };
  const name = raw.trim();
  const length = [...name].length;
  if (length < NAME_MIN_LENGTH) return { ok: false, reason: 'name is empty' };
  if (length > NAME_MAX_LENGTH) {
    return { ok: false, reason: `name is longer than ${NAME_MAX_LENGTH} characters` };
  }
  if (FORBIDDEN_IN_NAME.test(name)) return { ok: false, reason: 'name contains control characters' };
  return { ok: true, name };
}

// Characters that change nothing visible: zero-width, joiners, bidi controls, soft hyphen,
// BOM. Two names that differ only by these look the same on screen, so they compare equal.
const INVISIBLE_IN_KEY = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u061C]/gu;

/**
 * The form in which two names are compared for uniqueness in a room: NFKC (so "Ａlice" and
 * "Alice" meet), invisible characters removed, case folded, inner spaces collapsed.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE_IN_KEY, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** A trailing " 2", " 3"…: stripped before numbering, so "Alice 2" taken suggests "Alice 3". */
const TRAILING_NUMBER = /\s+\d+$/u;

/**
 * The first of "name 2", "name 3", … whose nameKey is not taken, cut to fit the length
 * limit. At most `taken.size + 1` tries: among that many variants one is always free.
 */
export function freeVariant(name: string, taken: ReadonlySet<string>): string {
  const visible = name.replace(INVISIBLE_IN_KEY, '');
  const base = visible.replace(TRAILING_NUMBER, '') || visible;
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const room = NAME_MAX_LENGTH - suffix.length;
    const candidate = `${[...base].slice(0, room).join('').trimEnd()}${suffix}`;
    if (!taken.has(nameKey(candidate))) return candidate;
  }
}
