// Names that render as nothing or deceive are refused (shared by server and page); names
// that look alike compare equal for uniqueness in a room, by their TR39 skeletons.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeName } from '../protocol/name.ts';
import { nameKeys, sameName, skeleton } from '../protocol/name-key.ts';

const refused = (name: string) => normalizeName(name).ok === false;
const accepted = (name: string) => {
  const result = normalizeName(name);
  return result.ok ? result.name : null;
};
/** Asserts that the server (which judges names by their skeleton) keeps `name` as it is. */
const keptByServer = (name: string) =>
  assert.deepEqual(normalizeName(name, skeleton), { ok: true, name }, JSON.stringify(name));
/** Asserts that the server (which judges names by their skeleton) refuses `name` as ending in a page mark. */
const refusedAsDrawnMark = (name: string) => {
  const result = normalizeName(name, skeleton);
  assert.equal(result.ok, false, JSON.stringify(name));
  if (!result.ok) assert.match(result.reason, /ends as the page marks a name/);
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

test('a name with a letter under a stack of marks is refused; a few accents are a name', () => {
  const marks = '\u0301\u0300\u0302\u0303\u0304\u0306\u0307\u030D';
  // The exploratory pass's name: Z and 31 marks, a column painted over the people list.
  assert.ok(refused(`Z${marks.repeat(4).slice(0, 31)}`));
  assert.ok(refused(`Q${marks}\u0301`), 'nine marks on one letter (Q: no precomposed Q́ takes one in NFC)');
  assert.ok(refused(`Bo${marks}b${marks}\u0301`), 'each letter is counted on its own');
  for (const name of ['Tiếng Việt', 'Nguye\u0302\u0303n', 'שָׁלוֹם', `Z${marks}`, `Bo${marks}b${marks}`]) {
    assert.equal(accepted(name), name.normalize('NFC'), JSON.stringify(name));
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

test('characters that render as nothing are refused, outside an emoji too', () => {
  for (const name of [
    'Alice\uFE0F', // an emoji presentation selector after a letter: it selects nothing
    'Ali\uFE0Ece',
    '\uFE0F',
    'Alice\uFE00', // other variation selectors
    'Alice\u{E0100}',
    'Alice\u2800', // braille blank: a symbol with no dots
    '\u2800\u2800',
    'Alice\u{1D159}', // musical null notehead
    '\u{1D159}',
    'Alice\u{16FE4}', // Khitan filler
    'Alice\u3164', // Hangul fillers
    'Alice\uFFA0',
    'Alice\u115F',
    'Alice\u180E', // Mongolian vowel separator
    'Ali\u034Fce', // combining grapheme joiner
    'Alice\u{E0041}', // a tag character
    '1\uFE0F', // a digit is an emoji only as a keycap
  ]) {
    assert.ok(refused(name), JSON.stringify(name));
  }
});

test('emoji with their presentation selectors are accepted', () => {
  for (const name of ['❤\uFE0F', '❤\uFE0E', '☺\uFE0F Ana', '1\uFE0F\u20E3', '#\uFE0F\u20E3 one', '🏳\uFE0F\u200D🌈']) {
    assert.equal(accepted(name), name, JSON.stringify(name));
  }
});

test('names that render the same share a key: nothing that renders as nothing counts', () => {
  for (const blank of [
    '\uFE0E',
    '\uFE0F',
    '\uFE00',
    '\u{E0100}',
    '\u{E01EF}',
    '\u2800',
    '\u{1D159}',
    '\u{16FE4}',
    '\u115F',
    '\u1160',
    '\u3164',
    '\uFFA0',
    '\u180E',
    '\u034F',
    '\u{E0041}',
    '\u{E007F}',
    '\u200B',
    '\u2060',
  ]) {
    assert.ok(sameName(`Alice${blank}`, 'Alice'), JSON.stringify(blank));
    assert.ok(sameName(`Ali${blank}ce`, 'Alice'), JSON.stringify(blank));
  }
  // An emoji's text and emoji presentations are the same picture, and the same name.
  assert.ok(sameName('❤\uFE0F', '❤'));
  assert.ok(sameName('❤\uFE0E Ana', '❤\uFE0F Ana'));
  assert.ok(!sameName('❤', '♥'));
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
    assert.deepEqual(normalizeName(name, skeleton), { ok: true, name: name.normalize('NFC') }, JSON.stringify(name));
  }
});

test('names are trimmed, and inner runs of spaces become one space', () => {
  assert.equal(accepted('  Ada \u00A0\u3000 Lovelace  '), 'Ada Lovelace');
});

test('look-alike names share a key: skeletons, case, width and invisibles', () => {
  assert.equal(skeleton('\u0440\u0430\u0443\u0440\u0430l'), skeleton('paypal')); // whole-script Cyrillic
  assert.ok(sameName('b0b', 'bob'));
  assert.ok(sameName('Bi11', 'bill'));
  assert.ok(sameName('rnary', 'mary'));
  assert.ok(sameName('ALICE', 'alice'));
  // Full case folding, not lower case: ß is ss, final sigma is sigma.
  assert.ok(sameName('Straße', 'STRASSE'));
  assert.ok(sameName('ΟΔΟΣ', 'οδος'));
  assert.ok(sameName('ΟΔΟΣ', 'οδοσ'));
  assert.ok(sameName('Ａlice', 'Alice'));
  assert.ok(sameName('Ali\u200Bce', 'Alice'));
  assert.ok(!sameName('alice', 'alicia'));
  assert.ok(!sameName('Zoë', 'Zoe'));
});

test('an upper-case I passes for an l as a lower-case i does not: "AIice" cannot join a room with "Alice" (or take mentions of her)', () => {
  for (const [a, b] of [
    ['AIice', 'Alice'],
    ['PayPaI', 'paypal'],
    ['BILL', 'bill'],
    ['AIICE', 'alice'],
  ] as const) {
    assert.ok(sameName(a, b), `${a} / ${b}`);
  }
  assert.ok(!sameName('Alice', 'Alica'));
});

test('a name all in Cyrillic or Greek capitals drawn as a Latin name is that name: "ВОВ" is Bob’s, "ΑΝΝ" Ann’s', () => {
  // Each is accepted on its own (one script), and each is drawn letter for letter as the other.
  for (const [lookalike, latin] of [
    ['\u0412\u041E\u0412', 'BOB'], // ВОВ: its small letters "вов" are small capitals, so folding first missed it
    ['\u0412\u041E\u0412', 'Bob'], // "BOB" is Bob's in capitals
    ['\u0391\u039D\u039D', 'Ann'], // ΑΝΝ, Greek
    ['\u0422\u041E\u041C', 'Tom'], // ТОМ
    ['\u0415\u041C\u041C\u0410', 'Emma'], // ЕММА
    ['\u0422\u0406\u041C', 'Tim'], // ТІМ, with a Ukrainian І
    ['\u0420\u0410\u0420\u0410', 'PAPA'], // РАРА, which met before too
    ['\u0412\u043E\u0412', 'BoB'], // ВоВ: drawn as written
  ] as const) {
    assert.equal(accepted(lookalike), lookalike);
    assert.ok(sameName(lookalike, latin), `${lookalike} / ${latin}`);
    assert.ok(sameName(latin, lookalike), `${latin} / ${lookalike}`);
  }
});

test('one name in any case is still one name: "ВОВ" and "вов", "Вова" and "ВОВА", "ΝΙΚΟΣ" and "νικος"', () => {
  for (const [a, b] of [
    ['\u0412\u041E\u0412', '\u0432\u043E\u0432'],
    ['\u0412\u043E\u0432\u0430', '\u0412\u041E\u0412\u0410'],
    ['\u039D\u0399\u039A\u039F\u03A3', '\u03BD\u03B9\u03BA\u03BF\u03C2'],
    ['\u0422\u041E\u041C', '\u0442\u043E\u043C'],
  ] as const) {
    assert.ok(sameName(a, b), `${a} / ${b}`);
  }
});

test('names that do not look alike stay apart, in either case', () => {
  for (const [a, b] of [
    ['\u0412\u043E\u0432\u0430', 'Bob'], // Вова
    ['\u0412\u043E\u0432\u0430', 'Boba'],
    ['\u0432\u043E\u0432', 'bob'], // вов: drawn as small capitals, not as "bob"
    ['Tom', 'Tim'],
    ['\u0422\u0438\u043C', 'Tim'], // Тим
    ['\u0422\u0438\u043C\u0443\u0440', 'Timur'], // Тимур
    ['\u0410\u043D\u043D\u0430', 'Anna'], // Анна
    ['\u041E\u043B\u044C\u0433\u0430', 'Olga'], // Ольга
    ['\u0414\u043C\u0438\u0442\u0440\u0438\u0439', 'Dmitri'], // Дмитрий
    ['\u039D\u03AF\u03BA\u03BF\u03C2', 'Nikos'], // Νίκος
    ['\u039C\u03B1\u03C1\u03AF\u03B1', 'Maria'], // Μαρία
    ['\u03A3\u03BF\u03C6\u03AF\u03B1', 'Sofia'], // Σοφία
    ['\u0395\u03BB\u03AD\u03BD\u03B7', 'Elena'], // Ελένη
    // Greek ν is drawn as "v" and its capital Ν as "N": "v" and "n" stay two letters.
    ['vik', 'nik'],
    ['Ivan', 'Inan'],
  ] as const) {
    assert.ok(!sameName(a, b), `${a} / ${b}`);
  }
  assert.ok(sameName('\u03BD\u03BF', 'vo'), 'νο is drawn as "vo"');
  assert.ok(sameName('\u039D\u039F', 'NO'), 'ΝΟ, its capitals, as "NO"');
});

test('a name’s first key is the one names had before they had two (what records in Redis from before hold)', () => {
  assert.deepEqual(nameKeys('BOB'), ['bob']);
  assert.deepEqual(nameKeys('\u0412\u041E\u0412'), ['\u0299o\u0299', 'bob']); // ВОВ: "ʙoʙ" as before, and "bob"
  assert.deepEqual(nameKeys('Alice'), ['allce']);
});

test('"You", the label of our own lines and reactions, is no member’s name; names that contain it are', () => {
  for (const name of ['You', 'you', ' YOU ', 'Ｙｏｕ']) assert.ok(refused(name), JSON.stringify(name));
  assert.match((normalizeName('You') as { reason: string }).reason, /own lines/);
  for (const name of ['Youssef', 'You 2', 'Not you']) assert.equal(accepted(name), name);
});

test('a name may not end as the page marks a name: "(you)", "(earlier)", a key code, "(no key yet, 2)", ✓', () => {
  const marked = [
    'Alice (you)',
    'Alice (YOU)',
    'Alice （you）',
    'Alice(earlier)',
    'Alice #3f2a',
    'Alice #3F2A 91c0',
    'Alice #３f2a',
    'Alice (no key yet, 2)',
    'Alice (same key as another)',
    'Alice ✓',
    'Alice✔',
    'Alice ✅',
    'Alice √',
    'Alice 🗹',
  ];
  for (const name of marked) assert.ok(refused(name), JSON.stringify(name));
  assert.match((normalizeName('Alice (you)') as { reason: string }).reason, /ends as the page marks a name/);
  // Marks only at the end, and only the page's own: a name may hold them otherwise.
  for (const name of [
    '(you) and me',
    'Alice (work)',
    'Team #42',
    'Room #12345',
    '✓ Alice',
    'Earlier',
    'Alice #cafe bar',
  ]) {
    assert.equal(accepted(name), name, JSON.stringify(name));
  }
});

test('a name may not end as drawn like the page’s marks, in look-alikes of one script: "Вова #3е2а", "Νικος (γου)"', () => {
  // One script beside digits and punctuation: the mixed-script rule lets each pass.
  const drawnAsMarks = ['Вова #3е2а', 'ВОВА #3Е2А', 'Вова #3е2а 91с0', 'Νικος (γου)', 'Νικος (ΓΟΥ)'];
  for (const name of drawnAsMarks) refusedAsDrawnMark(name);
  // Without the confusables (the page's bundle does not carry them), judged as typed only.
  assert.equal(accepted('Вова #3е2а'), 'Вова #3е2а');
  // ASCII is read as typed: "0" is not drawn as "O" nor "1" as "l" here, so words stay names;
  // and a look-alike that is no mark's letter ("в", drawn "ʙ") changes nothing.
  for (const name of ['Bob #cool', 'Bob #lead', 'Team #42', 'Вова #вово', 'Вова (вы)', 'Νικος (φως)', 'Вова ✗']) {
    keptByServer(name);
  }
});

test('"You" drawn in look-alikes is no member’s name either: "Yoս", "ʏou", "Yoᴜ"', () => {
  // Armenian ս, a small capital Y, a small capital U: each drawn as "You", the page's label
  // for our own lines, so a victim's page headed such a member's lines "You".
  for (const name of ['Yo\u057D', '\u028Fou', 'Yo\u1D1C', 'YO\u057D', 'Y0u']) {
    const result = normalizeName(name, skeleton);
    assert.equal(result.ok, false, JSON.stringify(name));
    if (!result.ok) assert.match(result.reason, /own lines/);
  }
  for (const name of ['Youssef', 'You 2', 'Not you', 'Yours', 'Yoko']) keptByServer(name);
});

test('the page’s words after a name are compared as drawn, ASCII look-alikes too: "Carol (earIier)", "Bob (ear1ier)"', () => {
  const drawnAsWords = [
    'Carol (earIier)', // a capital I for the l
    'Bob (ear1ier)', // a digit 1 for the l
    'Bob (EARLlER)',
    'Bob (y0u)',
    'Bob (n0 key yet, 2)',
    'Bob (no key yet, I2)', // drawn as "12"
    'Bob (no key yet, l0)',
    'Bob (no key yet, O)',
    'Bob (NO KEY YET, l)',
    'Bob (sarne key as another)', // "rn" drawn as "m"
  ];
  for (const name of drawnAsWords) refusedAsDrawnMark(name);
  // Key codes are still read as typed, so words of hex-looking letters stay names.
  for (const name of [
    'Bob #cool',
    'Bob #lead',
    'Alice 2',
    'Team #42',
    'Bob (early)',
    'Bob (no key, 2)',
    'Alice (work)',
  ]) {
    keptByServer(name);
  }
});

test('a mark on the page’s ✓ or closing parenthesis does not hide it: "Bob ✓̣" is "Bob ✓"', () => {
  const marked = [
    'Bob \u2713\u0323', // a combining dot below the check mark
    'Bob \u2714\uFE0F\u0323',
    'Bob \u2705\u0301\u0323',
    'Alice (you)\u0323',
    'Alice (earlier)\u0307',
    'Alice #3f21\u0323',
  ];
  for (const name of marked) {
    assert.ok(refused(name), JSON.stringify(name));
    assert.equal(normalizeName(name, skeleton).ok, false, JSON.stringify(name));
  }
  // On a letter a mark makes another letter ("ú" is not "u"); on what is no page mark it is a name.
  for (const name of ['Alice (work)\u0323', 'Bob \u2717\u0323', 'Zoë', 'Nguye\u0302\u0303n', 'Alice (yo\u00FA)']) {
    assert.equal(accepted(name), name.normalize('NFC'), JSON.stringify(name));
    assert.equal(normalizeName(name, skeleton).ok, true, JSON.stringify(name));
  }
});

test('a look-alike is read in the case typed too: "Вова #Зе2а", whose capital Cyrillic З is drawn as the digit 3', () => {
  // Capital З is drawn as "3", its small з as "ɜ": folded first, "#Зе2а" read as "#ɜe2a".
  for (const name of ['Вова #Зе2а', 'Вова #ЗЕ2А', 'Вова #Зе2а 91с0']) refusedAsDrawnMark(name);
  for (const name of ['ЗЕВС', 'Зоя #1', 'Вова #Зеро', 'Вова #Зина']) keptByServer(name);
});

test('signs drawn as the page’s "#" and parentheses are read so, though Unicode’s confusables lack them: "Bob ♯3e2a", "Bob ⦅you⦆"', () => {
  const drawnAsMarks = [
    'Bob \u266F3e2a', // ♯ music sharp sign
    'Bob \u23173e2a', // ⌗ viewdata square
    'Вова \u22D53е2а', // ⋕ equal and parallel to, Cyrillic е and а
    'Bob \u29E33e2a', // ⧣
    'Bob #\uFE0F\u20E33e2a', // the keycap emoji #️⃣
    'Bob #\u20E33E2A 91c0',
    'Bob \u2985you\u2986', // ⦅ ⦆ white parentheses
    'Bob \u27EEyou\u27EF', // ⟮ ⟯ flattened parentheses
    'Bob \u2E28you\u2E29', // ⸨ ⸩ double parentheses
    'Bob \u276Aearlier\u276B', // ❪ ❫ flattened parenthesis ornaments
    'Bob \u2985no key yet, 2\u2986',
  ];
  for (const name of drawnAsMarks) refusedAsDrawnMark(name);
  // Only at the end and only around the page's words: such signs are a name's otherwise.
  for (const name of [
    'Bob \u266Fcool',
    'C\u266F minor',
    '\u266F3e2a Bob',
    'Bob \u2985work\u2986',
    '#\uFE0F\u20E3 one',
  ]) {
    keptByServer(name);
  }
});
