import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeNameVariant } from '../../client/name-variant.ts';
import { foldName, NAME_MAX_LENGTH } from '../../protocol/index.ts';

test('a taken name gets the first free number', () => {
  assert.equal(freeNameVariant('Alice', ['Alice']), 'Alice 2');
  assert.equal(freeNameVariant('Alice', ['Alice', 'Alice 2', 'alice 3']), 'Alice 4');
});

test('a trailing number is replaced, not extended', () => {
  assert.equal(freeNameVariant('Alice 2', ['Alice', 'Alice 2']), 'Alice 3');
});

test('names are compared the way the server compares them (NFKC, case, invisible characters)', () => {
  // "ＡＬＩＣＥ 2" (fullwidth) and "alice\u200B 3" are the same names as "Alice 2" and "Alice 3".
  assert.equal(freeNameVariant('Alice', ['Alice', 'ＡＬＩＣＥ 2', 'alice\u200B 3']), 'Alice 4');
});

test('a variant of a name at the length limit stays within it', () => {
  const long = 'x'.repeat(NAME_MAX_LENGTH);
  const variant = freeNameVariant(long, [long]);
  assert.ok([...variant].length <= NAME_MAX_LENGTH, variant);
  assert.match(variant, / 2$/);
  assert.notEqual(foldName(variant), foldName(long));
});

test('a name made only of digits keeps them as its base', () => {
  assert.equal(freeNameVariant('42', ['42']), '42 2');
});
