// Line times without the page's first Intl.DateTimeFormat (nor its first local time of day)
// on the join's path: a time shown before the page is warm carries its instant at once and
// gets its text, in the locale's format, when warm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClock, type TimeElement } from '../../client/view/clock.ts';

const at = (h: number, m: number) => new Date(2026, 11, 1, h, m, 30);
const element = (): TimeElement => ({ textContent: null, dateTime: '' });
const enUS = () => new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' });

test('before warm a time carries its instant, no text yet, and no formatter is made', () => {
  let made = 0;
  const clock = createClock({
    maxWaiting: 10,
    makeFormat: () => {
      made++;
      return enUS();
    },
  });
  const evening = element();
  clock.show(evening, at(19, 5));
  assert.equal(evening.dateTime, at(19, 5).toISOString());
  assert.equal(evening.textContent, null);
  assert.equal(made, 0);
  clock.warm();
  clock.warm();
  assert.equal(made, 1, 'one formatter for the page');
});

test("warm writes the waiting times in the locale's format, and later ones get it at once", () => {
  const format = enUS();
  const clock = createClock({ maxWaiting: 10, makeFormat: () => format });
  const early = [element(), element()];
  clock.show(early[0] as TimeElement, at(19, 5));
  clock.show(early[1] as TimeElement, at(7, 45));
  clock.warm();
  assert.deepEqual(
    early.map((e) => e.textContent),
    [format.format(at(19, 5)), format.format(at(7, 45))],
  );
  assert.match(early[0]?.textContent ?? '', /PM/);
  const late = element();
  clock.show(late, at(8, 0));
  assert.equal(late.textContent, format.format(at(8, 0)));
  // Warming again writes nothing it already wrote.
  (early[0] as TimeElement).textContent = 'untouched';
  clock.warm();
  assert.equal(early[0]?.textContent, 'untouched');
});

test('the times waiting are bounded: beyond the bound the oldest are let go', () => {
  const clock = createClock({ maxWaiting: 100, makeFormat: enUS });
  const many = Array.from({ length: 150 }, () => element());
  for (const e of many) clock.show(e, at(19, 5));
  clock.warm();
  assert.equal(many[49]?.textContent, null, 'the oldest were let go');
  assert.match(many[50]?.textContent ?? '', /PM/);
  assert.match(many.at(-1)?.textContent ?? '', /PM/);
});

test('lines in the same minute share one formatting; another minute is formatted anew', () => {
  let calls = 0;
  const real = enUS();
  const counting = {
    format(date: Date) {
      calls++;
      return real.format(date);
    },
  } as Intl.DateTimeFormat;
  const clock = createClock({ maxWaiting: 10, makeFormat: () => counting });
  clock.warm();
  const lines = Array.from({ length: 20 }, () => element());
  for (const [i, e] of lines.entries()) clock.show(e, new Date(2026, 11, 1, 19, 5, i));
  assert.equal(calls, 1);
  assert.ok(lines.every((e) => e.textContent === real.format(at(19, 5))));
  const next = element();
  clock.show(next, at(19, 6));
  assert.equal(calls, 2);
  assert.equal(next.textContent, real.format(at(19, 6)));
});
