// Which lines a search found and which is current (client/view/search-found.ts): the newest
// first, Next going older and Previous newer, round from either end; numbered from the oldest,
// so that lines coming below change only the count; and the current match kept while lines
// come, go for good or are edited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  countWords,
  type Found,
  foundAgain,
  foundAnew,
  NOTHING_FOUND,
  stepped,
} from '../../client/view/search-found.ts';

const current = (found: Found<string>): string | undefined => found.lines[found.current];

test('the newest match is current first; Next goes to the next older, Previous to the next newer, round from either end', () => {
  let found = foundAnew(['a', 'b', 'c']);
  assert.equal(current(found), 'c');
  assert.equal(countWords(found, true), '3 of 3');
  const olderWay: string[] = [];
  for (let i = 0; i < 4; i++) {
    found = stepped(found, 'older');
    olderWay.push(current(found) ?? '?');
  }
  assert.deepEqual(olderWay, ['b', 'a', 'c', 'b'], 'past the oldest, the newest');
  const newerWay: string[] = [];
  for (let i = 0; i < 3; i++) {
    found = stepped(found, 'newer');
    newerWay.push(current(found) ?? '?');
  }
  assert.deepEqual(newerWay, ['c', 'a', 'b'], 'past the newest, the oldest');
  assert.equal(countWords(found, true), '2 of 3');
  const one = foundAnew(['only']);
  assert.equal(current(stepped(one, 'older')), 'only');
  assert.equal(current(stepped(one, 'newer')), 'only');
});

test('nothing found says so; nothing searched for says nothing; stepping through nothing stays nothing', () => {
  assert.equal(countWords(foundAnew([]), true), 'no matches');
  assert.equal(countWords(NOTHING_FOUND, false), '');
  assert.equal(stepped(foundAnew([]), 'older').current, -1);
  assert.equal(countWords(foundAnew(Array.from({ length: 1_500 }, (_, i) => `l${i}`)), true), '1,500 of 1,500');
});

test('a match that comes below is counted in: the current match and its number stay', () => {
  let found = stepped(foundAnew(['a', 'b', 'c']), 'older');
  assert.equal(countWords(found, true), '2 of 3');
  found = foundAgain(found, ['a', 'b', 'c', 'd']);
  assert.equal(current(found), 'b');
  assert.equal(countWords(found, true), '2 of 4');
  // History placed above it (earlier lines) moves its number, not it.
  found = foundAgain(found, ['early', 'a', 'b', 'c', 'd']);
  assert.equal(current(found), 'b');
  assert.equal(countWords(found, true), '3 of 5');
  // The first match to come, after none, is current.
  assert.equal(current(foundAgain(foundAnew<string>([]), ['new'])), 'new');
});

test('lines that go for good drop out; the current one, gone or no longer matching, hands over to the nearest newer match', () => {
  // The oldest lines go past the page's 2,000: the current one among them.
  let found = stepped(stepped(foundAnew(['a', 'b', 'c', 'd']), 'older'), 'older');
  assert.equal(current(found), 'b');
  found = foundAgain(found, ['c', 'd']);
  assert.equal(current(found), 'c');
  assert.equal(countWords(found, true), '1 of 2');
  // An edit or a deletion takes a line out; the nearest newer one still there takes over.
  found = foundAgain(foundAnew(['a', 'b', 'c', 'd']), ['a', 'b', 'c', 'd']);
  found = stepped(found, 'older');
  assert.equal(current(found), 'c');
  assert.equal(current(foundAgain(found, ['a', 'b'])), 'b', 'nothing newer left: the nearest older');
  assert.equal(current(foundAgain(found, ['a', 'b', 'd'])), 'd');
  assert.equal(current(foundAgain(found, ['x', 'y'])), 'y', 'none of those before: the newest');
  assert.equal(countWords(foundAgain(found, []), true), 'no matches');
});

test("a copy drawn in the current line's place (the same key) stays current", () => {
  const key = (line: { id: string }) => line.id;
  const lines = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const found = stepped(foundAnew(lines), 'older');
  const copy = { id: 'b' };
  const again = foundAgain(found, [lines[0], copy, lines[2]] as { id: string }[], key);
  assert.equal(again.lines[again.current], copy);
});
