// What a screen reader hears of the focused member entry (members.ts, a roving list): its
// name with the member's state in words ("Bob: verified, connected, direct · 3 ms, in call"), and what
// those words mean as its description, instead of the name, a "verified" image and the ✉
// button's label read in turn. Read from the entry's parts as members.ts drew them.

/** A member entry's parts as the page shows them (their text, and what their titles say). */
export interface MemberParts {
  readonly name: string;
  /** Proved it holds the room key, and what that means (the ✓'s title), or ''. */
  readonly verified: string;
  /** Its link: "connected", "unreachable", "via Carol"… */
  readonly state: string;
  /** How it is reached: "direct · 3 ms", "via Carol · 12 ms", or ''. */
  readonly path: string;
  /** What it is doing, as its entry shows it: "in call", "typing…". */
  readonly doing: readonly string[];
  /** A note on what does not go that way ("files and calls need a direct link or TURN"), or ''. */
  readonly note: string;
  /** Why it cannot be reached, and, for a warning about the link, what that means. */
  readonly reason: readonly [string, string];
  /** Our private lines go to this member. */
  readonly privately: boolean;
  /** We ignore this member (ignored.ts); absent: not. */
  readonly ignored?: boolean;
  /** Its key code (fingerprint.ts), to compare with what the member's own page shows; absent: none known. */
  readonly code?: string;
}

export interface MemberAbout {
  readonly name: string;
  readonly description: string;
}

export function memberAbout(parts: MemberParts): MemberAbout {
  const [reason, warning] = parts.reason;
  // "via Carol" as the state, then "via Carol · 12 ms" as the path: said once.
  const state = parts.path.startsWith(parts.state) ? '' : parts.state;
  const ignored = parts.ignored === true ? 'ignored' : '';
  const words = [
    parts.verified === '' ? '' : 'verified',
    state,
    parts.path,
    ...parts.doing,
    ignored,
    reason,
    parts.note,
  ].filter((word) => word !== '');
  const description = [
    parts.privately ? 'Your messages go to this member alone' : '',
    ignored === '' ? '' : 'Their messages are collapsed on this page; they are not told',
    warning,
    parts.verified === '' ? '' : `Verified: ${parts.verified}`,
    parts.code === undefined ? '' : `Key code ${parts.code}`,
  ].filter((part) => part !== '');
  return {
    name: words.length === 0 ? parts.name : `${parts.name}: ${words.join(', ')}`,
    description: description.join('. '),
  };
}

/** An entry's parts, as the page shows them now. */
export function memberParts(entry: HTMLElement): MemberParts {
  const text = (selector: string): string => entry.querySelector(selector)?.textContent?.trim() ?? '';
  const name = entry.querySelector('.member-name');
  const badge = name?.querySelector<HTMLElement>('.verified');
  const reason = entry.querySelector<HTMLElement>('.member-reason');
  // The name alone: the ✓ inside it is said in words.
  const own = [...(name?.childNodes ?? [])].filter((node) => node !== badge).map((node) => node.textContent ?? '');
  return {
    name: name ? own.join('').trim() : (entry.textContent?.trim() ?? ''),
    verified: badge?.title ?? '',
    state: text('.member-state'),
    path: text('.member-path'),
    doing: [...entry.querySelectorAll('.member-doing')].map((mark) => mark.textContent ?? ''),
    note: text('.member-note'),
    reason: [reason?.textContent?.replace(/^⚠\s*/, 'warning: ').trim() ?? '', reason?.title ?? ''],
    privately: entry.classList.contains('selected'),
    ...(entry.querySelector('.member-ignored') ? { ignored: true } : {}),
    ...(entry.dataset.code ? { code: entry.dataset.code } : {}),
  };
}
