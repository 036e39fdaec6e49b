// The line that says earlier messages are on their way (view/history-waiting.ts): not for an
// answer that lands within a second, then named, updated as members answer, emptied (never
// hidden: it is a live region) when none is awaited; a name is isolated from the sentence.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { Ticker } from '../../client/ticker.ts';
import { historyWaitingText, showHistoryWaiting } from '../../client/view/history-waiting.ts';
import { type FakeDom, type FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom(['history-waiting']);
});
afterEach(() => dom.restore());

/** A ticker run by hand: each `tick()` is one look. */
function handTicker() {
  const runs: Array<() => void> = [];
  const ticker: Ticker = {
    every(_ms, run) {
      runs.push(run);
      return () => runs.splice(runs.indexOf(run), 1);
    },
  };
  const tick = (): void => {
    for (const run of runs) run();
  };
  return { ticker, tick };
}

/** The line as drawn: names in <bdi>, the rest as text. */
const drawn = (element: FakeElement): string =>
  element.children.map((child) => (child.tagName === 'bdi' ? `[${child.textContent}]` : child.textContent)).join('');

test('the sentence: one name, two, or the first and how many others', () => {
  assert.equal(historyWaitingText([]), '');
  assert.equal(historyWaitingText(['Ann']), 'Getting earlier messages from \u2068Ann\u2069…');
  assert.equal(historyWaitingText(['Ann', 'Bo']), 'Getting earlier messages from \u2068Ann\u2069 and \u2068Bo\u2069…');
  assert.equal(historyWaitingText(['Ann', 'Bo', 'Cy']), 'Getting earlier messages from \u2068Ann\u2069 and 2 others…');
});

test('shown from the second look at a wait, updated as members answer, hidden once none is awaited', () => {
  const element = dom.byId('history-waiting');
  let waiting: string[] = ['Ann', 'Bo'];
  const { ticker, tick } = handTicker();
  const stop = showHistoryWaiting({ waitingFor: () => waiting, element: element as unknown as HTMLElement, ticker });
  tick();
  assert.equal(drawn(element), '', 'an answer that lands within a look is never said to be coming');
  tick();
  assert.equal(drawn(element), 'Getting earlier messages from [Ann] and [Bo]…');
  waiting = ['Bo'];
  tick();
  assert.equal(drawn(element), 'Getting earlier messages from [Bo]…');
  waiting = [];
  tick();
  assert.equal(drawn(element), '');
  assert.equal(
    element.hidden,
    false,
    'emptied, never hidden: a live region that appears with its text is often not said',
  );
  // A wait that comes later (a member's link opened late) is shown from its second look too.
  waiting = ['דוד'];
  tick();
  assert.equal(drawn(element), '');
  tick();
  assert.equal(drawn(element), 'Getting earlier messages from [דוד]…');
  stop();
  waiting = [];
  tick();
  assert.equal(drawn(element), 'Getting earlier messages from [דוד]…', 'stopped: no more looks');
});
