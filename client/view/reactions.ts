// Reactions under each chat line: a chip per emoji with its count (who reacted in its title,
// or shown for a moment on a long press / right click), and a button that opens the picker.
// One click listener for the whole chat and one picker, moved to the line it is opened on.

import { REACTION_EMOJI, type ReactionEmoji } from '../../protocol/index.ts';
import type { ReactionSummary } from '../features/reactions.ts';
import { el } from './dom.ts';

/** Bars kept for this many of the latest lines (the reactions feature keeps as many). */
const MAX_BARS = 5_000;
/** How long the "who reacted" note of a long press stays. */
const WHO_SHOWN_MS = 4_000;

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
  attach(item: HTMLElement, author: string, id: string): void;
  update(author: string, id: string, summary: readonly ReactionSummary[]): void;
}

const keyOf = (author: string, id: string) => `${author}/${id}`;
const isEmoji = (value: string | undefined): value is ReactionEmoji =>
  (REACTION_EMOJI as readonly string[]).includes(value ?? '');

export function createReactionsView(toggle: (author: string, id: string, emoji: ReactionEmoji) => void): ReactionsView {
  const messages = document.getElementById('messages') as HTMLElement;
  const bars = new Map<string, HTMLElement>();
  const picker = el('div', { className: 'reaction-picker', testId: 'reaction-picker' });
  picker.setAttribute('role', 'group');
  picker.setAttribute('aria-label', 'Pick a reaction');
  for (const emoji of REACTION_EMOJI) {
    const option = el('button', { className: 'reaction-option', text: emoji, testId: 'reaction-option' });
    option.type = 'button';
    option.dataset.emoji = emoji;
    option.setAttribute('aria-label', `React with ${EMOJI_NAMES[emoji]}`);
    picker.append(option);
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
    switch (target.dataset.testid) {
      case 'react-button':
        if (picker.parentElement === line.bar) {
          closePicker(false);
        } else {
          closePicker(false);
          line.bar.append(picker);
          target.setAttribute('aria-expanded', 'true');
          picker.querySelector<HTMLElement>('button')?.focus();
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
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closePicker(true);
  });
  // A click anywhere else closes an open picker, as a menu does.
  document.addEventListener('click', (event) => {
    if (!picker.isConnected || !(event.target instanceof Node)) return;
    const opener = picker.parentElement?.querySelector('[data-testid=react-button]');
    if (!picker.contains(event.target) && !opener?.contains(event.target)) closePicker(false);
  });
  // A long press on a phone opens the context menu: show who reacted instead.
  messages.addEventListener('contextmenu', (event) => {
    const chip = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-testid=reaction]') : null;
    const line = chip ? barOf(chip) : null;
    if (!chip || !line) return;
    event.preventDefault();
    line.bar.querySelector('.reaction-who')?.remove();
    const who = el('span', { className: 'reaction-who', text: chip.title, testId: 'reaction-who' });
    line.bar.append(who);
    setTimeout(() => who.remove(), WHO_SHOWN_MS);
  });

  return {
    attach(item, author, id) {
      const bar = el('div', { className: 'reactions', testId: 'reactions' });
      bar.dataset.author = author;
      bar.dataset.id = id;
      const open = el('button', { className: 'react-button', text: '☺', testId: 'react-button' });
      open.type = 'button';
      open.setAttribute('aria-label', 'Add a reaction');
      open.setAttribute('aria-expanded', 'false');
      bar.append(open);
      item.append(bar);
      const key = keyOf(author, id);
      bars.set(key, bar);
      if (bars.size > MAX_BARS) {
        const oldest = bars.keys().next();
        if (!oldest.done) bars.delete(oldest.value);
      }
    },
    update(author, id, summary) {
      const bar = bars.get(keyOf(author, id));
      if (!bar) return;
      for (const chip of bar.querySelectorAll('[data-testid=reaction]')) chip.remove();
      const open = bar.querySelector('[data-testid=react-button]');
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
      }
    },
  };
}
