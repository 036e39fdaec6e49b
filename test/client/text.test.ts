// Links in message text: http(s) URLs become links, the punctuation around them does not,
// and nothing else (other schemes, markup) is treated as anything but text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isolate } from '../../client/isolate.ts';
import { el, setText } from '../../client/view/dom.ts';
import { linkTarget, MAX_LINK_LENGTH, splitLinks } from '../../client/view/links.ts';
import { renderText, sentenceNodes } from '../../client/view/text.ts';
import { createTypingView } from '../../client/view/typing.ts';
import { capMarks, MAX_STACKED_MARKS } from '../../protocol/marks.ts';
import { installFakeDom } from './fake-dom.ts';

test('http and https URLs are found, with the sentence punctuation left out', () => {
  assert.deepEqual(splitLinks('see https://example.org/a?b=1&c=2. and (http://x.test/path_(1)), ok'), [
    { text: 'see ' },
    { text: 'https://example.org/a?b=1&c=2', href: 'https://example.org/a?b=1&c=2' },
    { text: '. and (' },
    { text: 'http://x.test/path_(1)', href: 'http://x.test/path_(1)' },
    { text: '), ok' },
  ]);
});

test('an address starting www. is a link too, to https, and the sentence’s punctuation is left out', () => {
  assert.deepEqual(splitLinks('try www.example.org/a?b=1. or WWW.Example.org, not awww.x.test or www.'), [
    { text: 'try ' },
    { text: 'www.example.org/a?b=1', href: 'https://www.example.org/a?b=1' },
    { text: '. or ' },
    { text: 'WWW.Example.org', href: 'https://www.example.org/' },
    { text: ', not awww.x.test or www.' },
  ]);
  // With its scheme, it is found once, as before.
  assert.deepEqual(splitLinks('http://www.x.test'), [{ text: 'http://www.x.test', href: 'http://www.x.test/' }]);
});

test('text without a link is one plain part', () => {
  assert.deepEqual(splitLinks('no links here: example.org, ftp://x.test'), [
    { text: 'no links here: example.org, ftp://x.test' },
  ]);
});

test('markup around and inside a URL stays text: the URL stops at < and quotes', () => {
  assert.deepEqual(splitLinks('<a href="https://evil.test/x">https://ok.test/y</a>'), [
    { text: '<a href="' },
    { text: 'https://evil.test/x', href: 'https://evil.test/x' },
    { text: '">' },
    { text: 'https://ok.test/y', href: 'https://ok.test/y' },
    { text: '</a>' },
  ]);
});

test('only http and https are link targets', () => {
  assert.equal(linkTarget('javascript:alert(1)'), null);
  assert.equal(linkTarget('data:text/html,hi'), null);
  assert.equal(linkTarget('https://'), null);
  assert.equal(linkTarget('HTTPS://Example.ORG'), 'https://example.org/');
});

test('a link keeps its own balanced brackets and loses the sentence’s', () => {
  const links = (text: string) => splitLinks(text).flatMap((part) => ('href' in part ? [part.text] : []));
  assert.deepEqual(links('(see https://en.wikipedia.org/wiki/Bracket_(disambiguation)).'), [
    'https://en.wikipedia.org/wiki/Bracket_(disambiguation)',
  ]);
  assert.deepEqual(links('https://x.test/a_(b)_(c)?!'), ['https://x.test/a_(b)_(c)']);
  assert.deepEqual(links('[https://x.test/list[1]]...'), ['https://x.test/list[1]']);
  assert.deepEqual(links('https://x.test/a).),.'), ['https://x.test/a']);
  assert.deepEqual(links('https://x.test/a...b'), ['https://x.test/a...b']);
});

test('a candidate longer than MAX_LINK_LENGTH stays plain text', () => {
  const long = `https://x.test/${'a'.repeat(MAX_LINK_LENGTH)}`;
  assert.deepEqual(splitLinks(`see ${long} and https://y.test`), [
    { text: `see ${long} and ` },
    { text: 'https://y.test', href: 'https://y.test/' },
  ]);
  const atLimit = `https://x.test/${'a'.repeat(MAX_LINK_LENGTH - 15)}`;
  assert.equal(atLimit.length, MAX_LINK_LENGTH);
  assert.deepEqual(splitLinks(atLimit), [{ text: atLimit, href: atLimit }]);
});

/** The least time, over a few rounds, that `runs` calls of splitLinks(text) take. */
function leastTime(text: string, runs: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < runs; i++) splitLinks(text);
    least = Math.min(least, performance.now() - start);
  }
  return least;
}

test('hostile "links" cost their length, not its square: 100 times the text, not 100 times the time per character', () => {
  // A peer's line of "http://a" and 3,992 ")" took ~118 ms to trim (one ")" a pass, the
  // string counted again each pass); a run of dots and a letter made the trimming regex
  // backtrack. The same characters in 100 short texts, against one text 100 times longer:
  // linear work takes about as long, quadratic 100 times longer. 10 leaves room for noise.
  const hostile = [
    (n: number) => `http://a${')'.repeat(n - 8)}`,
    (n: number) => `http://a${'.'.repeat(n - 9)}b`,
    (n: number) => `http://a${'.'.repeat(n - 8)}`,
    (n: number) => `http://a${'('.repeat((n - 8) / 2)}${')'.repeat((n - 8) / 2)}`,
  ];
  for (const make of hostile) {
    // Under the length cap, where the trimming runs, and a whole chat line (over the cap).
    for (const [short, long] of [
      [20, 2_000],
      [40, 4_000],
    ] as const) {
      const big = make(long);
      assert.equal(big.length, long);
      splitLinks(big); // warm up
      const tiny = leastTime(make(short), 2_000);
      const spent = leastTime(big, 20);
      assert.ok(
        spent < 10 * tiny,
        `${JSON.stringify(big.slice(0, 12))}… of ${long}: ${spent} ms, against ${tiny} ms for the same characters in ${short}-character texts`,
      );
    }
  }
});

test('runs of combining marks are shown cut to a few per character; ordinary accents are untouched', () => {
  const zalgo = `Z${'\u0300\u0301\u0302\u0303'.repeat(250)}`;
  const shown = capMarks(zalgo);
  assert.equal([...shown].length, 1 + MAX_STACKED_MARKS);
  assert.ok(shown.startsWith('Z\u0300\u0301\u0302\u0303'));
  for (const ordinary of ['Tiếng Việt', 'שָׁלוֹם', 'क्षत्रिय', 'e\u0301 a\u0308', 'plain']) {
    assert.equal(capMarks(ordinary), ordinary);
  }
  // Each letter gets its own allowance.
  const two = `a${'\u0301'.repeat(20)}b${'\u0301'.repeat(20)}`;
  assert.equal(capMarks(two), `a${'\u0301'.repeat(MAX_STACKED_MARKS)}b${'\u0301'.repeat(MAX_STACKED_MARKS)}`);
});

const MARKS = '\u0301\u0300\u0302\u0303\u0304\u0306\u0307';
/** The marks on the page: what a stack is made of, joiners and variation selectors aside. */
const marksIn = (text: string): number => text.match(/[^\P{M}\p{Default_Ignorable_Code_Point}]/gu)?.length ?? 0;

test('marks with joiners or variation selectors between them are one stack, cut as one; other text keeps its joiners', () => {
  // The exploratory pass's line: 420 marks over the sender's name, U+200D after every seventh.
  const zwj = `a${`${MARKS}\u200D`.repeat(60)} zwj`;
  const shown = capMarks(zwj);
  assert.equal(marksIn(shown), MAX_STACKED_MARKS);
  assert.ok(shown.startsWith(`a${MARKS}\u200D\u0301`) && shown.endsWith(' zwj'));
  for (const between of ['\u200C', '\u034F', '\uFE0F', '\uFE00', '\u2060', '\u{E0100}', '\u{E0041}']) {
    const stack = `b${[...MARKS.repeat(3)].join(between)}c`;
    assert.equal(marksIn(capMarks(stack)), MAX_STACKED_MARKS, JSON.stringify(between));
  }
  for (const ordinary of ['👩‍💻 ❤️ 1️⃣ 🏳️‍🌈', 'می‌خواهم', `a${MARKS}\u200D\u0301b`]) {
    assert.equal(capMarks(ordinary), ordinary);
  }
});

test('every helper that puts text on the page cuts its stacks: names, call status, system lines, who is typing, message text', () => {
  const dom = installFakeDom(['typing', 'message-input']);
  try {
    const name = `Z${MARKS.repeat(4)}\u0301\u0300\u0302`; // the exploratory pass's name, 31 marks
    assert.equal(marksIn(el('span', { text: name }).textContent), MAX_STACKED_MARKS, 'el()');
    const tile = el('span');
    setText(tile as unknown as Node, `In the call with ${name}`);
    assert.equal(marksIn(tile.textContent), MAX_STACKED_MARKS, 'setText()');
    const sentence = sentenceNodes(`${isolate(name)} named the room “${name}”`);
    const words = sentence.map((part) => (typeof part === 'string' ? part : part.textContent)).join('');
    assert.equal(marksIn(words), 2 * MAX_STACKED_MARKS, 'a system line');
    createTypingView({ keystroke() {}, emptied() {} }).show([name]);
    assert.equal(marksIn(dom.byId('typing').textContent), MAX_STACKED_MARKS, 'who is typing');
    const line = el('div');
    renderText(line, `a${`${MARKS}\u200D`.repeat(60)} zwj`);
    assert.equal(marksIn(line.textContent), MAX_STACKED_MARKS, 'a message');
  } finally {
    dom.restore();
  }
});
