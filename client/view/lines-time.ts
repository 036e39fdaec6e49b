// A line's time (file lines too), written by the page's one clock (clock.ts); and for a chat
// line whose sender's clock is far off (more than MAX_CLOCK_SKEW_MS), when it arrived here
// instead, its title saying what the sender's clock said.
import { MAX_CLOCK_SKEW_MS } from '../../protocol/limits.ts';
import type { ChatLine } from '../features/chat.ts';
import { createClock } from './clock.ts';
import { el } from './dom.ts';
import { MAX_LINES } from './lines-kept.ts';

/** The page's line times (file lines too): wiring/deferred.ts warms it once the page has its links. */
export const clock = createClock({ maxWaiting: MAX_LINES });

/** Only for a line whose sender's clock is off: made on the first such line. */
let fullFormat: Intl.DateTimeFormat | undefined;
function fullTime(date: Date): string {
  fullFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return fullFormat.format(date);
}

/** A line's <time> element (file lines too), written by the page's clock; empty for no date. */
export function timeElement(date: Date): HTMLTimeElement {
  const time = el('time', { className: 'line-time', text: '' });
  if (Number.isFinite(date.getTime())) clock.show(time, date);
  return time;
}

/** The sender's clock is far off: the line is shown, and placed, as written when it arrived here. */
const skewedClock = (line: ChatLine): boolean =>
  line.receivedAt !== undefined && Math.abs(line.ts - line.receivedAt) > MAX_CLOCK_SKEW_MS;

/** The line's time as shown: the sender's, or when it arrived here if the sender's clock is far off. */
export const shownTime = (line: ChatLine): number => (skewedClock(line) ? (line.receivedAt ?? line.ts) : line.ts);

/** The line's time: the sender's, or when it arrived here if the sender's clock is far off. */
export function timeOf(line: ChatLine): HTMLTimeElement {
  const skewed = skewedClock(line);
  const time = timeElement(new Date(shownTime(line)));
  if (skewed) {
    time.dataset.clock = 'off';
    const claimed = new Date(line.ts);
    time.title = `Received at this time. The sender’s clock is off: it said ${
      Number.isFinite(claimed.getTime()) ? fullTime(claimed) : 'an impossible time'
    }.`;
  }
  return time;
}
