// Names that render as nothing or deceive are refused (shared by server and page); names
// that look alike compare equal for uniqueness in a room, by their TR39 skeletons.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeName } from '../protocol/name.ts';
import { nameKey, skeleton } from '../protocol/name-key.ts';

const refused = (name: string) => normalizeName(name).ok === false;
const accepted = (name: string) => {
  const result = normalizeName(name);
  return result.ok ? result.name : null;
};

test('names that render as nothing are refused', () => {
  for (const name of [
    '   ',
    '\u3000\u3000', // ideographic spaces
    '\u200B', // zero-width space
    '\u3164', // Hangul filler: a letter that shows nothing
    '\uFFA0',
    '\u115F\u1160',
    '\u034F', // combining grapheme joiner
    '\u0301\u0301', // marks with nothing to sit on
    '\u{E0041}\u{E0042}', // tag characters
  ]) {
    assert.ok(refused(name), JSON.stringify(name));
  }
});

test('invisible and formatting characters inside a name are refused', () => {
  for (const name of [
    'al\u200Bice', // zero-width space
    'al\u00ADice', // soft hyphen
    'ali\u2060ce', // word joiner
    'ali\uFEFFce', // BOM
    'alice\u2028bob', // line separator
    'ali\u2029ce', // paragraph separator
    'evil\u202Egnp.exe', // bidi override
    'alice\u2066', // bidi isolate
    'alice\u{E0001}', // language tag
    'al\u200Dice', // a joiner between Latin letters that makes nothing
    'alice\u180B', // Mongolian variation selector
  ]) {
    assert.ok(refused(name), JSON.stringify(name));
  }
});

test('lone surrogates and control characters are refused', () => {
  assert.ok(refused('ali\uD800ce'));
  assert.ok(refused('alice\uDC00'));
  assert.ok(refused('\u0007bell'));
  assert.ok(refused('tab\there'));
});

test('Latin mixed with Cyrillic or Greek look-alikes is refused', () => {
  assert.ok(refused('p\u0430ypal')); // Cyrillic а
  assert.ok(refused('\u0410lice')); // Cyrillic А
  assert.ok(refused('b\u03BFb')); // Greek ο
  assert.ok(refused('Дмитрий Dmitri'));
});

test('ordinary names of every script, and scripts written together, are accepted', () => {
  for (const name of [
    'Zoë',
    'José María',
    'Дмитрий',
    'Νίκος',
    'محمد',
    'דוד',
    '山田 太郎',
    'やまだ タロウ 山田',
    'Yamada 山田 たろう',
    '김민준 Kim',
    'Anand आनंद',
    'علی‌رضا', // ZWNJ between Persian letters
    'Sam 👩‍💻', // ZWJ emoji sequence
    '❤️ Ana', // emoji presentation selector
    'R2-D2',
    '😀'.repeat(32),
  ]) {
    assert.equal(accepted(name), name.normalize('NFC'), JSON.stringify(name));
  }
});

test('names are trimmed, and inner runs of spaces become one space', () => {
  assert.equal(accepted('  Ada \u00A0\u3000 Lovelace  '), 'Ada Lovelace');
});

test('look-alike names share a key: skeletons, case, width and invisibles', () => {
  assert.equal(skeleton('\u0440\u0430\u0443\u0440\u0430l'), skeleton('paypal')); // whole-script Cyrillic
  assert.equal(nameKey('b0b'), nameKey('bob'));
  assert.equal(nameKey('Bi11'), nameKey('bill'));
  assert.equal(nameKey('rnary'), nameKey('mary'));
  assert.equal(nameKey('ALICE'), nameKey('alice'));
  // Full case folding, not lower case: ß is ss, final sigma is sigma.
  assert.equal(nameKey('Straße'), nameKey('STRASSE'));
  assert.equal(nameKey('ΟΔΟΣ'), nameKey('οδος'));
  assert.equal(nameKey('ΟΔΟΣ'), nameKey('οδοσ'));
  assert.equal(nameKey('Ａlice'), nameKey('Alice'));
  assert.equal(nameKey('Ali\u200Bce'), nameKey('Alice'));
  assert.notEqual(nameKey('alice'), nameKey('alicia'));
  assert.notEqual(nameKey('Zoë'), nameKey('Zoe'));
});
