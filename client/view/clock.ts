// The time shown on each line, in the locale's format, from one Intl.DateTimeFormat. A page's
// first DateTimeFormat loads ICU's locale data (~85 ms of one page's main thread), and its
// first local time of day the time-zone data (~20 ms, even for Date.getHours): in a room of
// two, either one made on the way (the join ack's "You joined" line, or on idle while the
// page waited) held up the page's first offer or answer by that much. So a line shown before
// the page has its links (warm, wiring/deferred.ts) gets its time only then: the element carries the
// instant (dateTime, in UTC, which needs neither) and its text is filled in when warm.
import { dropOldest } from '../bounded.ts';

/** What a line's time is drawn on: a <time> element (tests pass a plain object). */
export interface TimeElement {
  textContent: string | null;
  dateTime: string;
}

export interface Clock {
  /** Writes `date` on the element in the locale's format; before warm(), once that exists. */
  show(element: TimeElement, date: Date): void;
  /** Makes the locale's formatter (when the page is idle) and writes the times that waited. */
  warm(): void;
}

export interface ClockOptions {
  /** Times that may wait for the formatter: as many as the page keeps lines (the oldest go). */
  maxWaiting: number;
  makeFormat?: () => Intl.DateTimeFormat;
}

/** Minutes whose text is kept (history spans many; the newest lines share one). */
const MINUTES_KEPT = 512;

export function createClock({
  maxWaiting,
  makeFormat = () => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
}: ClockOptions): Clock {
  let format: Intl.DateTimeFormat | null = null;
  const early = new Map<TimeElement, Date>();
  /** Text by minute since the epoch: a time zone moves clocks by whole minutes only. */
  const byMinute = new Map<number, string>();
  function text(made: Intl.DateTimeFormat, date: Date): string {
    const minute = Math.floor(date.getTime() / 60_000);
    let shown = byMinute.get(minute);
    if (shown === undefined) {
      // Formatting costs ~0.2 ms a line on a busy page; lines mostly come in the same minute.
      shown = made.format(date);
      byMinute.set(minute, shown);
      dropOldest(byMinute, MINUTES_KEPT);
    }
    return shown;
  }
  return {
    show(element, date) {
      element.dateTime = date.toISOString();
      if (format) {
        element.textContent = text(format, date);
        return;
      }
      early.set(element, date);
      dropOldest(early, maxWaiting);
    },
    warm() {
      format ??= makeFormat();
      for (const [element, date] of early) element.textContent = text(format, date);
      early.clear();
    },
  };
}
