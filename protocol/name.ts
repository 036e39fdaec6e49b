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
