// Reactions under each chat line: a chip per emoji with its count (who reacted in its title,
// shown while it has the keyboard, or for a moment on a long press / right click), and a
// button that opens the picker.
// One click listener for the whole chat and one picker, moved to the line it is opened on.

import { REACTION_EMOJI, type ReactionEmoji } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import type { ReactionSummary } from '../features/reactions.ts';
import { el } from './dom.ts';

/** Bars kept for this many of the latest lines (the reactions feature keeps as many). */
const MAX_BARS = 5_000;
/** How long the "who reacted" note of a long press stays. */
const WHO_SHOWN_MS = 4_000;
/** A touch held this long on a chip is a long press (the platforms' own is about 500 ms). */
const LONG_PRESS_MS = 500;
/** A touch that moves farther than this (px) is a scroll, not a press. */
const PRESS_SLOP_PX = 10;

const EMOJI_NAMES: Record<ReactionEmoji, string> = {
  '👍': 'thumbs up',
  '❤️': 'heart',
  '😂': 'laughing',
  '😮': 'surprised',
  '😢': 'sad',
  '🎉': 'party',
};

export interface ReactionsView {
  /** A chat line that can take reactions. */
  attach(item: HTMLLIElement, author: string, id: string): void;
  update(author: string, id: string, summary: readonly ReactionSummary[]): void;
  /** A member was ignored, or no longer is (ignored.ts): the chips it reacted on are drawn anew. */
  ignoredChanged(peerId: string): void;
}

const keyOf = (author: string, id: string) => `${author}/${id}`;
const isEmoji = (value: string | undefined): value is ReactionEmoji =>
  (REACTION_EMOJI as readonly string[]).includes(value ?? '');

export interface ReactionsViewOptions {
  /**
   * Runs `undo` once a line goes for good (lines.ts whenDropped). A bar kept past its line
   * keeps the line's whole element with it: the bars would hold up to MAX_BARS lines'
   * elements while the page keeps MAX_LINES.
   */
  whenDropped?(item: HTMLLIElement, undo: () => void): void;
  /**
   * Whether we ignore a member (ignored.ts): a chip neither counts nor names those we ignore
   * (by the ids its summary carries), and is not drawn when they are all it had.
   */
  ignored?(peerId: string): boolean;
}

/** The reactions as shown: those of members we ignore left out (count, names and ids). */
export function shownReactions(
  summary: readonly ReactionSummary[],
  ignored: (peerId: string) => boolean,
): ReactionSummary[] {
  return summary.flatMap((reaction) => {
    if (!reaction.by.some(ignored)) return [reaction];
    // One test for both lists: `names[at]` is the name of `by[at]`.
    const shown = (_: string, at: number) => !ignored(reaction.by[at] ?? '');
    const by = reaction.by.filter(shown);
    return by.length === 0 ? [] : [{ ...reaction, names: reaction.names.filter(shown), by, count: by.length }];
  });
}

export function createReactionsView(
  toggle: (author: string, id: string, emoji: ReactionEmoji) => void,
  options: ReactionsViewOptions = {},
): ReactionsView {
  const messages = document.getElementById('messages') as HTMLElement;
  const bars = new Map<string, HTMLElement>();
  /** What each bar was last given to show, to draw it again when whom we ignore changes. */
  const given = new WeakMap<HTMLElement, readonly ReactionSummary[]>();
  const picker = el('div', { className: 'reaction-picker', testId: 'reaction-picker' });
  // A toolbar (WAI-ARIA APG): one stop for Tab, the arrow keys move between the emoji.
  picker.setAttribute('role', 'toolbar');
  picker.setAttribute('aria-label', 'Pick a reaction');
  const choices = REACTION_EMOJI.map((emoji) => {
    const option = el('button', { className: 'reaction-option', text: emoji, testId: 'reaction-option' });
    option.type = 'button';
    option.dataset.emoji = emoji;
    option.setAttribute('aria-label', `React with ${EMOJI_NAMES[emoji]}`);
    return option;
  });
  picker.append(...choices);

  /** Gives the keyboard, and the picker's one tab stop, to `choice`. */
  function choose(choice: HTMLButtonElement | undefined): void {
    if (!choice) return;
    for (const option of choices) option.tabIndex = option === choice ? 0 : -1;
    choice.focus();
  }

  function barOf(target: Element): { bar: HTMLElement; author: string; id: string } | null {
    const bar = target.closest<HTMLElement>('.reactions');
    const { author, id } = bar?.dataset ?? {};
    return bar && author && id ? { bar, author, id } : null;
  }

  function closePicker(focusBack: boolean): void {
    const opener = picker.parentElement?.querySelector<HTMLElement>('[data-testid=react-button]');
    opener?.setAttribute('aria-expanded', 'false');
    picker.remove();
    if (focusBack) opener?.focus();
  }

  messages.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    const line = target ? barOf(target) : null;
    if (!target || !line) return;
    const emoji = target.dataset.emoji;
    if (pressedLong === target) {
      // The click that ends a long press only showed who reacted: it toggles nothing.
      pressedLong = null;
      return;
    }
    switch (target.dataset.testid) {
      case 'react-button':
        if (picker.parentElement === line.bar) {
          closePicker(false);
        } else {
          closePicker(false);
          line.bar.append(picker);
          target.setAttribute('aria-expanded', 'true');
          choose(choices[0]);
        }
        return;
      case 'reaction-option':
        if (isEmoji(emoji)) toggle(line.author, line.id, emoji);
        closePicker(true);
        return;
      case 'reaction':
        if (isEmoji(emoji)) toggle(line.author, line.id, emoji);
        return;
    }
  });
  // ← → (and ↑ ↓, for a picker wrapped on a narrow screen) go round the emoji, Home and End to
  // either end; Enter and Space press the one with focus, as any button; Escape closes.
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Tab' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      leaveByTab(event);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key === 'Escape') {
      closePicker(true);
      return;
    }
    const at = choices.indexOf(event.target as HTMLButtonElement);
    const last = choices.length - 1;
    const to = pickerMove(event.key, at, last);
    if (at < 0 || to === null) return;
    event.preventDefault();
    choose(choices[to]);
  });
  /**
   * Tab out of the picker closes it, as out of a menu, and goes on from ☺ as if it had not
   * been open: to the control after ☺ (Reply), or back to ☺ with Shift. Left to the browser,
   * the keyboard landed on the line itself, before the picker, the picker gone under it.
   */
  function leaveByTab(event: KeyboardEvent): void {
    const opener = picker.parentElement?.querySelector<HTMLElement>('[data-testid=react-button]');
    const line = picker.closest('li');
    if (!opener || !line) return;
    const stops = [...line.querySelectorAll<HTMLElement>('button, a[href], [tabindex]')].filter(
      (stop) => stop.tabIndex >= 0 && !picker.contains(stop) && stop.getClientRects().length > 0,
    );
    const to = event.shiftKey ? opener : stops[stops.indexOf(opener) + 1];
    if (!to) return; // nothing after ☺ in the line: the browser goes on, and focusout closes it
    event.preventDefault();
    closePicker(false);
    to.focus();
  }
  // The keyboard leaving the picker otherwise (a click elsewhere) closes it, as a menu does;
  // it stayed open behind. Not when it goes to ☺, whose own press opens and closes it.
  picker.addEventListener('focusout', (event) => {
    const to = event.relatedTarget;
    if (!(to instanceof Node) || picker.contains(to)) return;
    const opener = picker.parentElement?.querySelector('[data-testid=react-button]');
    if (!opener?.contains(to)) closePicker(false);
  });
  // A click anywhere else closes an open picker, as a menu does.
  document.addEventListener('click', (event) => {
    if (!picker.isConnected || !(event.target instanceof Node)) return;
    const opener = picker.parentElement?.querySelector('[data-testid=react-button]');
    if (!picker.contains(event.target) && !opener?.contains(event.target)) closePicker(false);
  });
  const chipOf = (target: EventTarget | null): HTMLElement | null =>
    target instanceof Element ? target.closest<HTMLElement>('[data-testid=reaction]') : null;

  /**
   * Shows who reacted with this chip next to it (the title is seen only under a mouse): for a
   * moment after a long press, or while the chip has the keyboard (`whileFocused`).
   */
  function showWho(chip: HTMLElement, whileFocused = false): void {
    const line = barOf(chip);
    if (!line) return;
    line.bar.querySelector('.reaction-who')?.remove();
    const who = el('span', { className: 'reaction-who', text: chip.title, testId: 'reaction-who' });
    line.bar.append(who);
    if (!whileFocused) setTimeout(() => who.remove(), WHO_SHOWN_MS);
  }

  // On the keyboard, a chip says who reacted while it has focus: its label says it to a
  // screen reader, the note to the eye. (Not after a click: the mouse has the title.)
  messages.addEventListener('focusin', (event) => {
    const chip = chipOf(event.target);
    if (chip?.matches(':focus-visible')) showWho(chip, true);
  });
  messages.addEventListener('focusout', (event) => {
    // (A chip drawn anew in its place, update, shows it again as it takes the focus.)
    const chip = chipOf(event.target);
    const line = chip ? barOf(chip) : null;
    line?.bar.querySelector('.reaction-who')?.remove();
  });

  // A right click, or a long press where it opens the context menu (Android): who reacted.
  messages.addEventListener('contextmenu', (event) => {
    const chip = chipOf(event.target);
    if (!chip) return;
    event.preventDefault();
    showWho(chip);
  });
  // A long press by touch, timed here: iOS Safari fires no contextmenu for one.
  let press: { chip: HTMLElement; x: number; y: number; timer: ReturnType<typeof setTimeout> } | null = null;
  /** The chip a long press just fired on: the click that ends the press is swallowed. */
  let pressedLong: HTMLElement | null = null;
  const endPress = () => {
    if (press) clearTimeout(press.timer);
    press = null;
  };
  messages.addEventListener('pointerdown', (event) => {
    endPress();
    const chip = chipOf(event.target);
    if (!chip || event.pointerType === 'mouse') return;
    pressedLong = null;
    const timer = setTimeout(() => {
      press = null;
      pressedLong = chip;
      showWho(chip);
    }, LONG_PRESS_MS);
    press = { chip, x: event.clientX, y: event.clientY, timer };
  });
  messages.addEventListener('pointermove', (event) => {
    if (press && Math.hypot(event.clientX - press.x, event.clientY - press.y) > PRESS_SLOP_PX) endPress();
  });
  for (const type of ['pointerup', 'pointercancel'] as const) messages.addEventListener(type, endPress);

  return {
    attach(item, author, id) {
      const bar = el('div', { className: 'reactions', testId: 'reactions' });
      bar.dataset.author = author;
      bar.dataset.id = id;
      const open = el('button', { className: 'react-button', text: '☺', testId: 'react-button' });
      open.type = 'button';
      open.setAttribute('aria-label', 'Add a reaction');
      // On hover too, as Reply, Edit and Delete beside it have theirs: ☺ alone says little.
      open.title = 'Add a reaction';
      open.setAttribute('aria-expanded', 'false');
      bar.append(open);
      item.append(bar);
      const key = keyOf(author, id);
      bars.set(key, bar);
      dropOldest(bars, MAX_BARS);
      options.whenDropped?.(item, () => {
        if (bars.get(key) === bar) bars.delete(key);
      });
    },
    update(author, id, summary) {
      const bar = bars.get(keyOf(author, id));
      if (!bar) return;
      given.set(bar, summary);
      draw(bar, summary);
    },
    ignoredChanged(peerId) {
      if (!options.ignored) return;
      for (const bar of bars.values()) {
        const summary = given.get(bar);
        if (summary?.some((reaction) => reaction.by.includes(peerId))) draw(bar, summary);
      }
    },
  };

  function draw(bar: HTMLElement, all: readonly ReactionSummary[]): void {
    const { ignored } = options;
    const summary = ignored ? shownReactions(all, ignored) : all;
    // The chips are drawn anew: one that had focus (Enter on it took our reaction back, or
    // someone else's changed its count) hands it to its successor, or to ☺ when it is gone,
    // rather than to <body>, where the keyboard would start the page over.
    const focused = chipOf(document.activeElement);
    const focusedEmoji = focused && bar.contains(focused) ? focused.dataset.emoji : undefined;
    for (const chip of bar.querySelectorAll('[data-testid=reaction]')) chip.remove();
    const open = bar.querySelector<HTMLElement>('[data-testid=react-button]');
    for (const reaction of summary) {
      const who = reaction.names.join(', ');
      const chip = el('button', {
        className: 'reaction',
        text: `${reaction.emoji} ${reaction.count}`,
        testId: 'reaction',
      });
      chip.type = 'button';
      chip.dataset.emoji = reaction.emoji;
      chip.dataset.count = String(reaction.count);
      chip.title = who;
      chip.setAttribute('aria-pressed', String(reaction.mine));
      chip.setAttribute('aria-label', `${EMOJI_NAMES[reaction.emoji]} ${reaction.count}: ${who}`);
      bar.insertBefore(chip, open);
      if (reaction.emoji === focusedEmoji) chip.focus();
    }
    if (focusedEmoji !== undefined && !bar.contains(document.activeElement)) open?.focus();
  }
}

/** Where a key takes the picker's focus from emoji `at` (0..`last`), going round; null: not a picker key. */
export function pickerMove(key: string, at: number, last: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return at >= last ? 0 : at + 1;
    case 'ArrowLeft':
    case 'ArrowUp':
      return at <= 0 ? last : at - 1;
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
