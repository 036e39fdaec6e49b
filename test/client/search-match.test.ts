// How a search compares text (client/view/search-match.ts): plain text, without case or
// accents, however an accent was typed; where each occurrence is in the line's own text, for
// its highlight; and no query, however odd, is anything but text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldText, occurrences } from '../../client/view/search-match.ts';

/** What `query` covers in `text`, as the highlights would show it. */
const shown = (text: string, query: string): string[] =>
  occurrences(text, foldText(query)).map(([start, end]) => text.slice(start, end));

test('"cafe" finds "Café" and "CAFÉ", é typed as one character or as e and its accent, and the other way round', () => {
  const composed = 'Café';
  const decomposed = 'Cafe\u0301';
  for (const text of [composed, decomposed, 'CAFÉ', 'café']) {
    assert.ok(foldText(text).includes(foldText('cafe')), text);
    assert.ok(foldText(text).includes(foldText('CAFÉ')), text);
    assert.ok(foldText(text).includes(foldText(decomposed)), text);
  }
  assert.equal(foldText('Lumière'), 'lumiere');
  assert.equal(foldText('Ångström'), 'angstrom');
  assert.equal(foldText('İstanbul'), 'istanbul');
  // Upper-case Greek ends in σ; typed in lower case the same word ends in ς.
  assert.equal(foldText('ΟΔΟΣ'), foldText('οδος'));
  assert.ok(!foldText('Café Lumière').includes(foldText('cafés')), 'letters still count');
  // Letters upper case spells out: ß and ẞ as ss, a ligature as its letters.
  for (const text of ['Straße', 'STRASSE', 'STRAẞE', 'strasse']) assert.equal(foldText(text), 'strasse', text);
  assert.equal(foldText('ﬁle'), 'file');
});

test("an occurrence covers the line's own characters, an accent typed apart with its letter", () => {
  assert.deepEqual(shown('meet me at the Café Lumière', 'cafe'), ['Café']);
  assert.deepEqual(shown('meet me at the Cafe\u0301!', 'cafe'), ['Cafe\u0301']);
  assert.deepEqual(shown('CAFÉ, café, cafe', 'café'), ['CAFÉ', 'café', 'cafe']);
  // Not overlapping, first to last.
  assert.deepEqual(occurrences('aaaa', 'aa'), [
    [0, 2],
    [2, 4],
  ]);
  assert.deepEqual(occurrences('abcabc', 'bc', 1), [[1, 3]], 'at most `most`');
  // Characters outside the BMP (two code units each) keep their place.
  assert.deepEqual(shown('🎉 party at the CAFÉ 🎉', 'cafe'), ['CAFÉ']);
  assert.deepEqual(shown('👩🏽‍💻 and 🎉🎉', '🎉'), ['🎉', '🎉']);
  // One character folded to two: the highlight covers it whole.
  assert.deepEqual(shown('Grüße aus der Straße', 'strasse'), ['Straße']);
  assert.deepEqual(shown('Grüße', 'grusse'), ['Grüße']);
  assert.deepEqual(shown('Straße', 's'), ['S', 'ß'], 'a query inside a folded ß covers the ß once');
});

test('a query is plain text: regex characters, emoji, right-to-left, 10,000 characters and nothing at all', () => {
  const text = 'costs $5.00 (or more?) [a-z]* ^_^ \\d+ | שלום עולם 🎉 مرحبا';
  for (const query of ['$5.00', '(or more?)', '[a-z]*', '^_^', '\\d+', '|', 'שלום', '🎉', 'مرحبا']) {
    assert.deepEqual(shown(text, query).length, 1, query);
  }
  assert.deepEqual(shown(text, '.*'), [], 'a pattern matches nothing it does not spell');
  assert.deepEqual(shown('abc', 'a.c'), []);
  const long = 'x'.repeat(10_000);
  assert.deepEqual(occurrences('short line', foldText(long)), []);
  assert.deepEqual(occurrences(long, foldText(long)), [[0, 10_000]]);
  assert.deepEqual(occurrences('anything', ''), [], 'nothing searched for, nothing found');
  assert.equal(foldText(''), '');
  // A query of accents alone folds to nothing (the search then searches for nothing).
  assert.equal(foldText('\u0301\u0308'), '');
  // Lone surrogates and control characters pass through without throwing.
  assert.doesNotThrow(() => occurrences('a\ud800b\u0000c', foldText('\ud800')));
});

test('folding a line is the same character by character as at once', () => {
  for (const text of ['Plain ASCII, Mixed Case.', 'Grüße aus Köln', 'ΟΔΟΣ οδος', 'x\u0301\u0302y', '漢字とかな']) {
    let byChar = '';
    for (const char of text) byChar += foldText(char);
    assert.equal(foldText(text), byChar, text);
  }
});
