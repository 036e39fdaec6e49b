// Mentions: who a line names after "@" (word-bounded, any case, names with spaces and
// unusual characters, the longest name that fits), and what the message box offers while
// one is typed (mention-suggest.ts): the "@…" at the caret, the names that fit, the text
// once one is picked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  complete,
  MAX_SUGGESTIONS,
  mentionAt,
  mentionsAt,
  offerAt,
  suggest,
} from '../../client/view/mention-suggest.ts';
import { mentionsYou } from '../../client/view/mentions.ts';

const others = ['Bob', 'Bob 2', 'Carol'];

test('a line mentions you by your name after "@", in any case, ending at a word’s end', () => {
  assert.equal(mentionsYou('hi @Ana', 'Ana', others), true);
  assert.equal(mentionsYou('@ana, lunch?', 'Ana', others), true);
  assert.equal(mentionsYou('@ANA!', 'Ana', others), true);
  assert.equal(mentionsYou('(@Ana)', 'Ana', others), true);
  assert.equal(mentionsYou('hi Ana', 'Ana', others), false, 'no "@": not a mention');
  assert.equal(mentionsYou('@Anastasia', 'Ana', others), false, 'a longer word');
  assert.equal(mentionsYou('@An', 'Ana', others), false, 'a shorter one');
  assert.equal(mentionsYou('@Ana_b', 'Ana', others), false);
  assert.equal(mentionsYou('mail ana@Ana.example', 'Ana', others), false, 'an address');
  assert.equal(mentionsYou('', 'Ana', others), false);
  assert.equal(mentionsYou('@', '', others), false);
});

test('a mention is read in the line as shown: inside emphasis it counts; in code, a block or an address it does not', () => {
  assert.equal(mentionsYou('_hi @Ana_', 'Ana', others), true, 'the closing "_" is formatting');
  assert.equal(mentionsYou('*@Ana* look', 'Ana', others), true);
  assert.equal(mentionsYou('~~@ana~~ done', 'Ana', others), true);
  assert.equal(mentionsYou('run `@Ana` here', 'Ana', others), false, 'code');
  assert.equal(mentionsYou('```\nping @Ana\n```', 'Ana', others), false, 'a block of code');
  assert.equal(mentionsYou('see https://mastodon.example/@Ana', 'Ana', others), false, 'an address');
  assert.equal(mentionsYou('`x` @Ana', 'Ana', others), true, 'after code, as written');
  assert.equal(mentionsYou('@*Ana*', '*Ana*', others), true, 'a name with markers, which are not formatting after "@"');
});

test('names with spaces and unusual characters match as text, never as a pattern', () => {
  assert.equal(mentionsYou('ok @ana maría?', 'Ana María', others), true);
  assert.equal(mentionsYou('ok @Ana Maríanne', 'Ana María', others), false);
  assert.equal(mentionsYou('@a.b*c (d)+ yes', 'a.b*c (d)+', others), true);
  assert.equal(mentionsYou('@aXb*c (d)+ yes', 'a.b*c (d)+', others), false, '"." is a dot, not any character');
  assert.equal(mentionsYou('@Zoë, @李雷', '李雷', others), true);
  assert.equal(mentionsYou('@李雷雷', '李雷', others), false);
  assert.equal(mentionsYou('@Bob!', 'Bob!', others), true, 'a name ending in a mark');
});

test('where two names fit at one "@", the longer one is meant', () => {
  assert.equal(mentionsYou('@Bob 2 look', 'Bob', others), false, 'Bob 2 is meant, not Bob');
  assert.equal(mentionsYou('@Bob 2 and @bob', 'Bob', others), true, 'the second one is Bob');
  assert.equal(mentionsYou('@Bob 2 look', 'Bob 2', ['Bob', 'Carol']), true);
  assert.equal(mentionsYou('@Bob 23', 'Bob', others), true, '"Bob 2" does not end there: Bob is meant');
});

test('a name that is yours with punctuation after it does not take your mentions: both are meant', () => {
  // Mallory joins as "Ana." and "Ana,": "thanks @Ana." and "@Ana, lunch?" still reach Ana.
  const squatters = [...others, 'Ana.', 'Ana,', 'Ana!?'];
  assert.equal(mentionsYou('thanks @Ana.', 'Ana', squatters), true);
  assert.equal(mentionsYou('@Ana, lunch?', 'Ana', squatters), true);
  assert.equal(mentionsYou('@Ana!? really', 'Ana', squatters), true);
  assert.equal(mentionsYou('thanks @Ana.', 'Ana.', ['Ana', ...others]), true, 'the other is meant too');
  assert.equal(mentionsYou('@Ana 2 look', 'Ana', [...squatters, 'Ana 2']), false, 'more than punctuation: the longer');
});

test('a hostile line of thousands of "@" is read through, and still found to mention you at its end', () => {
  const names = Array.from({ length: 15 }, (_, i) => `Member ${i}`);
  assert.equal(mentionsYou('@'.repeat(3_990), 'Ana', names), false);
  assert.equal(mentionsYou(`${'@a'.repeat(1_990)} @Ana`, 'Ana', names), true);
  assert.equal(mentionsYou(`${'@Ana'.repeat(900)}`, 'Ana', names), true, 'the first one, before an "@"');
  assert.equal(mentionsYou(`x${'@Ana'.repeat(900)}`, 'Ana', names), false, 'each after a word: addresses');
});

test('the mention being typed is the "@…" before the caret, on its line, not in an address', () => {
  assert.deepEqual(mentionAt('hi @an', 6), { start: 3, query: 'an' });
  assert.deepEqual(mentionAt('@', 1), { start: 0, query: '' });
  assert.deepEqual(mentionAt('@Ana Ma', 7), { start: 0, query: 'Ana Ma' }, 'names hold spaces');
  assert.deepEqual(mentionAt('@an and more', 3), { start: 0, query: 'an' }, 'the caret decides, not the end');
  assert.equal(mentionAt('mail bob@exa', 12), null);
  assert.equal(mentionAt('@an\nnext', 8), null, 'another line');
  assert.equal(mentionAt(`@${'x'.repeat(33)}`, 34), null, 'longer than any name');
  assert.equal(mentionAt('no at sign', 10), null);
});

test('the names offered: starting with what is typed first, then with a word that does, any case', () => {
  const names = ['Carol', 'bob', 'Ana María', 'María José', 'Bobby'];
  assert.deepEqual(suggest('', names), ['Ana María', 'bob', 'Bobby', 'Carol', 'María José']);
  assert.deepEqual(suggest('b', names), ['bob', 'Bobby']);
  assert.deepEqual(suggest('MAR', names), ['María José', 'Ana María']);
  assert.deepEqual(suggest('ana m', names), ['Ana María']);
  assert.deepEqual(suggest('zed', names), []);
  assert.deepEqual(suggest('bob', names), ['bob', 'Bobby'], 'still continued by another');
  assert.deepEqual(suggest('bobby', names), [], 'typed whole, nothing to complete: Enter sends');
  assert.deepEqual(
    suggest('maría', ['María', 'Ana María']),
    [],
    'typed whole: a name with a later word that starts with it does not take the Enter either',
  );
  const many = Array.from({ length: 20 }, (_, i) => `Member ${i}`);
  assert.equal(suggest('m', many).length, MAX_SUGGESTIONS);
});

test('picking a name puts "@name " in place of what was typed, the caret after it', () => {
  const typed = 'hey @an, see';
  const at = mentionAt(typed, 7);
  assert.ok(at);
  assert.deepEqual(complete(typed, at, 7, 'Ana María'), { value: 'hey @Ana María , see', caret: 15 });
  const end = 'hey @b';
  const atEnd = mentionAt(end, end.length);
  assert.ok(atEnd);
  assert.deepEqual(complete(end, atEnd, end.length, 'bob'), { value: 'hey @bob ', caret: 9 });
  const before = 'hey @b there';
  const atBefore = mentionAt(before, 6);
  assert.ok(atBefore);
  assert.deepEqual(complete(before, atBefore, 6, 'bob'), { value: 'hey @bob there', caret: 9 }, 'no second space');
});

test('a name that holds an "@" is offered and matched as any other', () => {
  const names = ['a@b', 'Carol'];
  assert.deepEqual(offerAt('hi @a@', 6, names), { mention: { start: 3, query: 'a@' }, names: ['a@b'] });
  assert.deepEqual(offerAt('hi @ca', 6, names), { mention: { start: 3, query: 'ca' }, names: ['Carol'] });
  assert.equal(offerAt('hi @zz', 6, names), null);
  assert.deepEqual(mentionsAt('@x @y', 5), [
    { start: 3, query: 'y' },
    { start: 0, query: 'x @y' },
  ]);
  assert.equal(mentionsYou('ping @A@B!', 'a@b', ['Carol']), true);
});
