// Chat's little formatting (view/format.ts): what becomes bold, italic, struck, code and a
// block of code, what stays text as typed, links kept whole, and a peer's hostile text read
// in one pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatText, type Piece, shownRows } from '../../client/view/format.ts';
import { foldLongText, textLines } from '../../client/view/long-text.ts';
import { installFakeDom } from './fake-dom.ts';

/** The pieces as a short string: <b>…</b>, <i>…</i>, <s>…</s>, `…`, ```…```, [text](href). */
function shown(pieces: readonly Piece[]): string {
  return pieces
    .map((piece) => {
      switch (piece.kind) {
        case 'text':
          return piece.text;
        case 'link':
          return `[${piece.text}](${piece.href})`;
        case 'code':
          return `\`${piece.text}\``;
        case 'block':
          return `\`\`\`${piece.text}\`\`\``;
        case 'strong':
          return `<b>${shown(piece.pieces)}</b>`;
        case 'em':
          return `<i>${shown(piece.pieces)}</i>`;
        default:
          return `<s>${shown(piece.pieces)}</s>`;
      }
    })
    .join('');
}
const format = (text: string): string => shown(formatText(text));

test('bold, italic and struck, as chat apps write them, and nested', () => {
  assert.equal(format('this is *very* good'), 'this is <b>very</b> good');
  assert.equal(format('this is **very** good'), 'this is <b>very</b> good');
  assert.equal(format('_really_, you think?'), '<i>really</i>, you think?');
  assert.equal(format('it costs ~10~ 5 €'), 'it costs <s>10</s> 5 €');
  assert.equal(format('~~gone~~ here'), '<s>gone</s> here');
  assert.equal(format('*bold and _italic_ too*'), '<b>bold and <i>italic</i> too</b>');
  assert.equal(format('(*in brackets*)'), '(<b>in brackets</b>)');
  assert.equal(format('“*quoted*”, and *bold*-ish'), '“<b>quoted</b>”, and <b>bold</b>-ish');
  // Code inside emphasis stays code, the emphasis around it whole.
  assert.equal(format('*run `npm test` first*'), '<b>run `npm test` first</b>');
  assert.equal(format('*два* _слова_'), '<b>два</b> <i>слова</i>');
});

test('a * or ~ inside a word ends any span of it: the first that cannot close is not skipped over; _ in a name is', () => {
  assert.equal(format('I *really*like it and *this* too'), 'I *really*like it and <b>this</b> too');
  assert.equal(format('**bold**text and *bold*text and text*bold*'), '**bold**text and *bold*text and text*bold*');
  assert.equal(format('*a*b c*'), '*a*b c*');
  assert.equal(format('~was~is and ~gone~'), '~was~is and <s>gone</s>');
  assert.equal(format('*is 2*3 six?*'), '*is 2*3 six?*');
  // Around spaces, or inside code or an address, a marker is no word's: the span holds it.
  assert.equal(format('*a * b*'), '<b>a * b</b>');
  assert.equal(format('*run `a*b` now*'), '<b>run `a*b` now</b>');
  assert.equal(format('_snake_case_ and _init_ok_'), '<i>snake_case</i> and <i>init_ok</i>');
});

test('what is not formatting stays as typed: inside words, around spaces, across lines, unclosed, faces and globs', () => {
  for (const text of [
    '(*_*) and ^_^ and -_- ugh -_- and >_< >_<',
    'src/**/*.ts and lib/**/*.js',
    '*.txt, *.md',
    'snake_case_name and 2*3*4',
    'a * b * c',
    '* not a list item *',
    '*across\nlines*',
    '*unclosed and _unclosed too',
    '**',
    '__init__',
    '~ ~',
    '1. first\n# 3\n> quoted',
    '<b>not html</b> &amp;',
  ]) {
    assert.equal(format(text), text, text);
  }
});

test('code: a span on one line, a block between fences; nothing in them is formatted or linked', () => {
  assert.equal(format('run `npm *test*` now'), 'run `npm *test*` now');
  assert.equal(format('`https://example.test/`'), '`https://example.test/`');
  assert.equal(format('``'), '``');
  assert.equal(format('`a\nb`'), '`a\nb`');
  assert.equal(
    format('see:\n```\nconst a = *b*;\n  indented\n```\ndone'),
    'see:\n```const a = *b*;\n  indented```done',
  );
  assert.equal(format('```one line```'), '```one line```');
  assert.equal(format('``` unclosed *bold*'), '``` unclosed <b>bold</b>');
  assert.equal(format('``````'), '``````', 'an empty block is text');
  assert.equal(format('```a``` and ```b```'), '```a``` and ```b```');
  // A language tag alone on the fence's row names the code: not a row of it.
  assert.equal(format('```js\nconst a = 1;\n```'), '```const a = 1;```');
  assert.equal(format('```c++ \nint a;\n```'), '```int a;```');
  assert.equal(format('```x = 1\ny\n```'), '```x = 1\ny```', 'code on the fence’s row stays');
  assert.equal(format('```js\n```'), '```js```', 'a tag with nothing after it is the code');
});

test('links stay whole: an underscore or asterisk in an address formats nothing; formatting around one keeps it a link', () => {
  assert.equal(
    format('see https://example.test/_private_/x_y now'),
    'see [https://example.test/_private_/x_y](https://example.test/_private_/x_y) now',
  );
  // A marker closing right after an address closes the span: it is not the address's.
  assert.equal(format('_see www.example.test_'), '<i>see [www.example.test](https://www.example.test/)</i>');
  assert.equal(format('~see https://example.test~'), '<s>see [https://example.test](https://example.test/)</s>');
  assert.equal(format('*https://example.test/a*'), '<b>[https://example.test/a](https://example.test/a)</b>');
  assert.equal(
    format('_read www.example.test today_'),
    '<i>read [www.example.test](https://www.example.test/) today</i>',
  );
  assert.equal(format('plain https://example.test/'), 'plain [https://example.test/](https://example.test/)');
  // Right after the marker that opens the span, and a marker that ends an address opened nothing.
  assert.equal(format('_https://example.test/x_ y'), '<i>[https://example.test/x](https://example.test/x)</i> y');
  assert.equal(
    format('see https://example.test/wiki/Foo_ and https://example.test/~user~'),
    'see [https://example.test/wiki/Foo_](https://example.test/wiki/Foo_) and [https://example.test/~user~](https://example.test/~user~)',
  );
});

test('an address ending in a marker inside a span of that marker keeps it when a later one closes the span: no stray marker shown', () => {
  // The span closes after "now", as typed; the "_" after Foo is the address's (a wiki page "Foo_").
  assert.equal(
    format('_see https://example.org/wiki/Foo_ now_'),
    '<i>see [https://example.org/wiki/Foo_](https://example.org/wiki/Foo_) now</i>',
  );
  assert.equal(format('*see https://x.test/a* now*'), '<b>see [https://x.test/a*](https://x.test/a*) now</b>');
  // No later closer, or a later marker opens a span of its own: the one after the address closes.
  assert.equal(
    format('_see https://x.test/a_ and _b_'),
    '<i>see [https://x.test/a](https://x.test/a)</i> and <i>b</i>',
  );
  assert.equal(format('_see https://x.test/a_\nnext_'), '<i>see [https://x.test/a](https://x.test/a)</i>\nnext_');
  // Many such addresses on one row, each read from tables built once; inside the span none opened one.
  const row = `_${'https://x.test/a_ '.repeat(200)}end_`;
  assert.equal(format(row).match(/_\]/g)?.length, 200);
});

test('a peer’s hostile text: thousands of markers read once, nesting bounded, every character kept', () => {
  const hostile = [
    '*a '.repeat(1_400),
    `${'*'.repeat(2_000)}x${'*'.repeat(2_000)}`,
    '_*~'.repeat(1_300),
    '`'.repeat(4_000),
    '```'.repeat(1_333),
    `${'*_~'.repeat(10)}deep${'~_*'.repeat(10)}`,
  ];
  assert.equal(format(hostile[0] as string), hostile[0], 'no marker closes after a space: all text');
  const flat = (list: readonly Piece[]): string => list.map((p) => ('pieces' in p ? flat(p.pieces) : p.text)).join('');
  /** The text but for markers and line breaks (those a fence or a span takes). */
  const bare = (text: string): string => text.replace(/[*_~`\n]/g, '');
  for (const text of [...hostile, 'a *b* _c_ ~d~ `e` ```\nf\n``` https://x.test/_g_ (*_*)']) {
    // Markers that formatted something are gone; no other character is lost, added or moved.
    assert.equal(bare(flat(formatText(text))), bare(text), text.slice(0, 40));
  }
  const depth = (list: readonly Piece[]): number =>
    Math.max(0, ...list.map((p) => ('pieces' in p ? 1 + depth(p.pieces) : 0)));
  assert.ok(depth(formatText(`*_~**${'x'}**~_*`)) <= 3);
});

test('rows as shown: markers gone, a block of code on rows of its own, its fences taking none (what a long line’s fold counts)', () => {
  const rows = (text: string) => shownRows(formatText(text));
  const block = Array.from({ length: 20 }, (_, n) => `row ${n}`).join('\n');
  assert.equal(textLines(`\`\`\`\n${block}\n\`\`\``), 22, 'as typed');
  assert.equal(textLines(rows(`\`\`\`\n${block}\n\`\`\``)), 20, 'as shown');
  assert.equal(rows('before ```inline``` after'), 'before \ninline\n after');
  assert.equal(rows('*bold* _it_ ~s~ `c` www.x.test\nnext'), 'bold it s c www.x.test\nnext');
  assert.equal(textLines(rows('intro\n```\na\nb\n```\nend')), 4);
});

test('a long line’s fold counts its rows as shown: a block of 20 rows says 20, and one of 15 between fences is not folded', () => {
  const dom = installFakeDom([]);
  try {
    const block = (count: number) =>
      `\`\`\`\n${Array.from({ length: count }, (_, n) => `row ${n}`).join('\n')}\n\`\`\``;
    const text = document.createElement('div');
    assert.equal(foldLongText(text, block(20))?.textContent, 'Show all 20 lines');
    assert.equal(foldLongText(document.createElement('div'), block(15)), null, '17 rows typed, 15 shown');
  } finally {
    dom.restore();
  }
});

// The first test here to measure a line: the measuring observer is made once, with the stand-in below.
test('a long line of few breaks is measured once laid out and folded only if it wraps past the fold; lines never laid out are observed up to a bound', () => {
  const dom = installFakeDom([]);
  const observed = new Set<unknown>();
  type Report = (entries: Array<{ target: unknown; contentRect: { height: number } }>) => void;
  let report: Report = () => assert.fail('no observer made');
  Object.assign(globalThis, {
    ResizeObserver: class {
      constructor(callback: Report) {
        report = callback;
      }
      observe(target: unknown): void {
        observed.add(target);
      }
      unobserve(target: unknown): void {
        observed.delete(target);
      }
    },
    getComputedStyle: () => ({ lineHeight: '20px' }),
    requestAnimationFrame: (run: () => void) => run(),
  });
  try {
    const paragraph = 'words that wrap '.repeat(20);
    const line = (height: number) => {
      const item = document.createElement('li');
      const text = document.createElement('span');
      const button = foldLongText(text, paragraph);
      assert.ok(button, 'a button, hidden until measured');
      assert.equal(button.hidden, true);
      item.append(text, button);
      Object.assign(text, { scrollHeight: height });
      return { text, button };
    };
    const tall = line(20 * 26);
    const short = line(20 * 9);
    const away = line(20 * 30);
    report([{ target: away.text, contentRect: { height: 0 } }]); // not on the page yet
    report([
      { target: tall.text, contentRect: { height: 520 } },
      { target: short.text, contentRect: { height: 180 } },
    ]);
    assert.equal(tall.button.hidden, false);
    assert.equal(tall.button.textContent, 'Show all 26 lines');
    assert.equal(tall.text.classList.contains('folded'), true);
    assert.equal(short.button.hidden, true, 'nine rows: not folded');
    assert.equal(short.text.classList.contains('folded'), false);
    assert.equal(away.button.hidden, true);
    assert.ok(observed.has(away.text) && !observed.has(tall.text), 'measured once, then let go');
    // Revised before it was laid out: the old text's button is gone, and nothing folds it.
    const revised = line(20 * 40);
    revised.button.remove();
    report([{ target: revised.text, contentRect: { height: 800 } }]);
    assert.equal(revised.text.classList.contains('folded'), false);
    // Lines made and never put on the page are let go past the bound, oldest first.
    for (let n = 0; n < 200; n++) line(0);
    assert.equal(observed.has(away.text), false);
    assert.equal(observed.size, 200);
    assert.equal(foldLongText(document.createElement('span'), 'short'), null);
  } finally {
    Reflect.deleteProperty(globalThis, 'getComputedStyle');
    dom.restore();
  }
});
