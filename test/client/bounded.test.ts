// The page's one bound on what it remembers: the oldest entries go first, and only past the limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropOldest } from '../../client/bounded.ts';

test('a Map past its limit loses its oldest entries, in insertion order', () => {
  const map = new Map([
    ['a', 1],
    ['b', 2],
    ['c', 3],
    ['d', 4],
  ]);
  dropOldest(map, 2);
  assert.deepEqual([...map.keys()], ['c', 'd']);
});

test('a key deleted and set again counts as the newest', () => {
  const map = new Map([
    ['a', 1],
    ['b', 2],
  ]);
  map.delete('a');
  map.set('a', 3);
  map.set('c', 4);
  dropOldest(map, 2);
  assert.deepEqual(
    [...map.entries()],
    [
      ['a', 3],
      ['c', 4],
    ],
  );
});

test('a Set at or under its limit is left as it is; one over loses one', () => {
  const set = new Set([1, 2, 3]);
  dropOldest(set, 3);
  assert.deepEqual([...set], [1, 2, 3]);
  set.add(4);
  dropOldest(set, 3);
  assert.deepEqual([...set], [2, 3, 4]);
  dropOldest(set, 0);
  assert.equal(set.size, 0);
});

test('what is dropped is given back, oldest first: a Map’s values, a Set’s members; nothing under the limit', () => {
  const map = new Map([
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);
  assert.deepEqual(dropOldest(map, 3), []);
  map.set('d', 4);
  map.set('e', 5);
  assert.deepEqual(dropOldest(map, 3), [1, 2]);
  assert.deepEqual([...map.keys()], ['c', 'd', 'e']);
  assert.deepEqual(dropOldest(new Set(['x', 'y', 'z']), 1), ['x', 'y']);
});
