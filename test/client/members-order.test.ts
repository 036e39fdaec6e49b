// The member list's order: by name as the server compares names, accents aside, without
// the locale's collation (whose data costs a page ~230 ms to load while a room forms).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byName } from '../../client/view/members.ts';

test('members sort by folded name, accented letters with their base letter', () => {
  const names = ['zed', 'Émile', 'bob', 'Alice', 'eve', 'ÉVA', 'Ｃarl'];
  const sorted = names.map((name, i) => ({ id: `id-${i}`, name })).sort(byName);
  assert.deepEqual(
    sorted.map((m) => m.name),
    ['Alice', 'bob', 'Ｃarl', 'Émile', 'ÉVA', 'eve', 'zed'],
  );
});

test('the order does not depend on the order members came in', () => {
  const members = ['Dana', 'carol', 'Bob', 'alice'].map((name, i) => ({ id: `id-${i}`, name }));
  const once = [...members].sort(byName).map((m) => m.id);
  const reversed = [...members]
    .reverse()
    .sort(byName)
    .map((m) => m.id);
  assert.deepEqual(once, reversed);
});
