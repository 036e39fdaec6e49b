// What a screen reader hears of the focused chat line (list-focus.ts): a name with who wrote
// it, when and what ("Bob, 14:02: see you"), and a description with what it answers and its
// state — private, signed or not, mentions you, how far it got, who reacted — in words,
// instead of every button's label read in turn ("Add a reaction, button; party 2, toggle
// button; …"). Read from the line's parts as the views that made them left them:
// lines-element.ts, line-marks.ts, reply-quote.ts, file-line.ts, file-recipients.ts,
// receipts.ts, reactions.ts; an ignored member's line, collapsed, as ignored-lines.ts shows it.
import { IGNORED_WORDS, isCollapsed } from './ignored-lines.ts';

/** A line's parts as the page shows them (their text, and what their titles say). */
export interface LineParts {
  readonly kind: 'chat' | 'file' | 'system';
  readonly sender: string;
  readonly time: string;
  /** The time's title: set when the sender's clock is off (lines-time.ts). */
  readonly timeNote: string;
  /** The message, the file's name, or the system line's sentence. */
  readonly text: string;
  /** What a reply answers, as its quote shows it ("Bob: shall we…"); '' for no reply. */
  readonly reply: string;
  /** Each mark's text and title ("✓ signed", and what that means). */
  readonly marks: ReadonlyArray<readonly [string, string]>;
  /** A file line's details: size and type, status, where each recipient stands. */
  readonly file: readonly string[];
  /** Our own line's receipt note and its detail ("read by 2", "Read by Bob, Carol"). */
  readonly receipt: readonly [string, string];
  /** Each reaction chip's label ("party 2: Bob, Carol"). */
  readonly reactions: readonly string[];
}

export interface LineAbout {
  readonly name: string;
  readonly description: string;
}

/** The text and, when it says more, the title ("✓ signed: Signed by its author…"). */
const withTitle = ([text, title]: readonly [string, string]): string =>
  title === '' || title === text ? text : text === '' ? title : `${text}: ${title}`;

export function lineAbout(parts: LineParts): LineAbout {
  const when = parts.time === '' ? '' : `, ${parts.time}`;
  const what = parts.kind === 'file' ? `file ${parts.text}` : parts.text;
  const name =
    parts.kind === 'system'
      ? `${parts.time === '' ? '' : `${parts.time}: `}${what}`
      : `${parts.sender}${when}: ${what}`;
  const reactions = parts.reactions.filter((reaction) => reaction !== '');
  const description = [
    parts.reply === '' ? '' : `In reply to ${parts.reply}`,
    ...parts.marks.map(withTitle),
    parts.timeNote,
    ...parts.file,
    withTitle(parts.receipt),
    reactions.length > 0 ? `Reactions: ${reactions.join('; ')}` : '',
  ].filter((part) => part !== '');
  // A part that ends a sentence itself (a quoted question, "…") is not given a second stop.
  const joined = description.reduce(
    (text, part) => (text === '' ? part : `${text}${/[.?!…]$/.test(text) ? ' ' : '. '}${part}`),
    '',
  );
  return { name, description: joined };
}

/** A line's parts, as the page shows them now. */
export function lineParts(line: HTMLElement): LineParts {
  const textOf = (element: Element | null | undefined): string => element?.textContent?.trim() ?? '';
  const text = (selector: string): string => textOf(line.querySelector(selector));
  // A name someone here has now, of a member gone, is heard with its mark (line-marks.ts):
  // the line's own after its sender (a child of the line), a quote's after the quoted name.
  // Found by class, then by place: the lines' tests read them on a stand-in page
  // (test/client/fake-dom.ts), which finds one class or test id, not a selector's path.
  const named = (name: string, mark: Element | null | undefined): string => [text(name), textOf(mark)].join(' ').trim();
  const ownMark = [...line.children].find((child) => child.classList.contains('name-earlier'));
  const quoteMark = line.querySelector('.reply-quote')?.querySelector('.name-earlier');
  const time = line.querySelector<HTMLElement>('.line-time');
  const receipt = line.querySelector<HTMLElement>('[data-testid=receipt]');
  const kind = line.dataset.kind;
  const quoted = `${named('.reply-quote-name', quoteMark)}: ${text('.reply-quote-text')}`;
  if (isCollapsed(line)) {
    // An ignored member's line (ignored-lines.ts) is heard as it is seen: who, when, and no more.
    const nothing = ['', ''] as const;
    return {
      kind: 'chat',
      sender: named('.line-sender', ownMark),
      time: time?.textContent?.trim() ?? '',
      timeNote: time?.title ?? '',
      text: IGNORED_WORDS,
      reply: '',
      marks: [],
      file: ['', '', ''],
      receipt: nothing,
      reactions: [],
    };
  }
  return {
    kind: kind === 'chat' || kind === 'file' ? kind : 'system',
    sender: named('.line-sender', ownMark),
    time: time?.textContent?.trim() ?? '',
    timeNote: time?.title ?? '',
    text: text('[data-testid=message-text]') || (line.textContent?.trim() ?? ''),
    // A quote of a line not held here says whose word it is (reply-quote.ts).
    reply: line.querySelector('.reply-quote') ? [quoted, text('.reply-quote-claim')].join(' ').trim() : '',
    marks: [...line.querySelectorAll<HTMLElement>('.line-mark')].map((mark) => [mark.textContent ?? '', mark.title]),
    file: [text('.file-meta'), text('.file-status-words'), text('[data-testid=file-recipients]')],
    receipt: receipt ? [receipt.textContent ?? '', receipt.title] : ['', ''],
    reactions: [...line.querySelectorAll('[data-testid=reaction]')].map(
      (chip) => chip.getAttribute('aria-label') ?? '',
    ),
  };
}
