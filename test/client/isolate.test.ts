// Names in the page's own sentences are isolated, and drawn apart from the words around them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isolate, isolatedParts } from '../../client/isolate.ts';

test('a sentence with marked names comes apart into text and names, the marks dropped', () => {
  const text = `${isolate('דוד 2')} is now ${isolate('Bob')}`;
  assert.deepEqual(isolatedParts(text), [
    { text: 'דוד 2', name: true },
    { text: ' is now ', name: false },
    { text: 'Bob', name: true },
  ]);
  assert.equal(
    isolatedParts(text)
      .map((p) => p.text)
      .join(''),
    'דוד 2 is now Bob',
  );
});

test('a sentence without names is one piece; an unclosed mark is left as text', () => {
  assert.deepEqual(isolatedParts('You started this room.'), [{ text: 'You started this room.', name: false }]);
  assert.deepEqual(isolatedParts('a \u2068b'), [{ text: 'a \u2068b', name: false }]);
  assert.deepEqual(isolatedParts(''), []);
});
