// client/wiring/own-name.ts: our own name, as the server accepted it. A name chosen while the
// join is in flight is asked for once joined; a rename the server refuses leaves the name we
// have (a taken one offers a free variant); a join whose name was taken takes the server's
// variant and says so; bad input never reaches the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameKeysWithoutTable } from '../../client/features/authors.ts';
import { createOwnName } from '../../client/wiring/own-name.ts';
import type { RenameAck } from '../../protocol/index.ts';

function setUp(answer: (name: string) => RenameAck | null = (name) => ({ ok: true, name }), initialRefused?: string) {
  const said: string[] = [];
  const asked: string[] = [];
  const shown: string[] = [];
  const hints: Array<string | null> = [];
  const problems: Array<string | undefined> = [];
  const offers: string[] = [];
  const messages: string[] = [];
  const keptForTab: string[] = [];
  let inRoom = false;
  let renamed = 0;
  const own = createOwnName({
    initial: 'Brave Otter',
    initialRefused: initialRefused ?? null,
    inRoom: () => inRoom,
    ask: async (name) => {
      asked.push(name);
      return answer(name);
    },
    page: {
      setName: (name) => shown.push(name),
      nameHint: (message, problem) => {
        hints.push(message);
        problems.push(problem);
      },
      offerName: (message, variant) => {
        messages.push(message);
        offers.push(variant);
      },
    },
    others: () => ['Alice', 'Sam'],
    nameKeys: nameKeysWithoutTable,
    keepForTab: (name) => keptForTab.push(name),
    say: (text) => said.push(text),
    renamed: () => renamed++,
  });
  return {
    own,
    said,
    asked,
    shown,
    hints,
    problems,
    offers,
    messages,
    keptForTab,
    join(accepted: string) {
      inRoom = true;
      own.joined(accepted);
    },
    renamed: () => renamed,
  };
}

test('a name chosen before the join is done is the name meanwhile, and asked for once joined', async () => {
  const page = setUp();
  await page.own.rename('  Carol ');
  assert.equal(page.own.current(), 'Carol');
  assert.deepEqual(page.asked, [], 'nothing asked before the join');
  // The join went with the name we had when it left.
  page.join('Brave Otter');
  assert.equal(page.own.current(), 'Brave Otter', 'the server’s word');
  page.own.askChosen();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(page.asked, ['Carol']);
  assert.equal(page.own.current(), 'Carol');
  assert.equal(page.renamed(), 1);
  page.own.askChosen();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(page.asked, ['Carol'], 'asked once');
  // The tab keeps the name it has in the room each time it changes, for its reloads.
  assert.deepEqual(page.keptForTab, ['Brave Otter', 'Carol']);
});

test('a rename the server refuses leaves our name; a taken one offers a free variant', async () => {
  const page = setUp((name) =>
    name === 'Alice'
      ? { ok: false, error: { code: 'name_taken', message: 'taken', suggestion: 'Alice 2' } }
      : { ok: false, error: { code: 'rate_limited', message: 'too many renames' } },
  );
  page.join('Brave Otter');
  await page.own.rename('Alice');
  assert.equal(page.own.current(), 'Brave Otter');
  assert.deepEqual(page.offers, ['Alice 2']);
  await page.own.rename('Zed');
  assert.equal(page.own.current(), 'Brave Otter');
  assert.match(page.hints.at(-1) ?? '', /too many renames.*still “.*Brave Otter/);
  // The field shows the name we still have, a valid one: refused, not invalid.
  assert.equal(page.problems.at(-1), 'refused');
  assert.deepEqual(page.said, [], 'nothing said in the chat');
  assert.equal(page.renamed(), 0);
});

test('a taken name is told by the name its holder has, which may only look like the one asked', async () => {
  const page = setUp(() => ({ ok: false, error: { code: 'name_taken', message: 'taken' } }));
  page.join('Brave Otter');
  await page.own.rename('\uFF33am'); // a full-width S
  assert.equal(
    page.messages.at(-1),
    'Someone here is already “\u2068Sam\u2069”; you are still “\u2068Brave Otter\u2069”.',
  );
  await page.own.rename('Zoe'); // a holder this page does not list (one reloading): the name asked
  assert.match(page.messages.at(-1) ?? '', /already “\u2068Zoe\u2069”/);
});

test('a server that does not answer leaves our name and says so', async () => {
  const page = setUp(() => null);
  page.join('Brave Otter');
  await page.own.rename('Zed');
  assert.equal(page.own.current(), 'Brave Otter');
  assert.match(page.hints.at(-1) ?? '', /did not answer/);
});

test('a name that is no name is refused on the page, never asked for', async () => {
  const page = setUp();
  page.join('Brave Otter');
  await page.own.rename('   ');
  await page.own.rename('x'.repeat(100));
  assert.deepEqual(page.asked, []);
  assert.equal(page.own.current(), 'Brave Otter');
  assert.equal(page.hints.length, 2);
  assert.deepEqual(page.problems, ['invalid', 'invalid'], 'the text in the field is no name');
});

test('joining under a taken name: the server’s variant, shown and said in the chat once joined under it', () => {
  const page = setUp();
  page.own.taken({ code: 'name_taken', message: 'taken', suggestion: 'Brave Otter 2' });
  assert.equal(page.own.current(), 'Brave Otter 2');
  assert.deepEqual(page.shown, ['Brave Otter 2']);
  assert.deepEqual(page.keptForTab, ['Brave Otter 2'], 'the tab reloads under it: its members know it so');
  assert.deepEqual(page.said, [], 'not in yet: nothing to tell');
  page.join('Brave Otter 2');
  const told =
    '“\u2068Brave Otter\u2069” is taken in this room, so you are “\u2068Brave Otter 2\u2069”. Change it any time.';
  assert.deepEqual(page.said, [told]);
  assert.equal(page.hints.at(-1), told);
  page.join('Brave Otter 2');
  assert.equal(page.said.length, 1, 'told once, not on a rejoin');
});

test('a join whose name was taken and that the room then refuses (full) says nothing of the name: renaming is off outside', () => {
  const page = setUp();
  page.own.taken({ code: 'name_taken', message: 'taken', suggestion: 'Brave Otter 2' });
  // The variant was taken as well by the next try: the name asked for is still the one chosen.
  page.own.taken({ code: 'name_taken', message: 'taken', suggestion: 'Brave Otter 3' });
  assert.deepEqual(page.said, []);
  assert.deepEqual(page.hints, []);
  page.join('Brave Otter 3');
  assert.match(
    page.said.join(),
    /^“\u2068Brave Otter\u2069” is taken in this room, so you are “\u2068Brave Otter 3\u2069”/,
  );
});

test('a refusal under the name box goes when the name we have is asked for again: nothing to refuse', async () => {
  const page = setUp((name) =>
    name === 'BOB' ? { ok: false, error: { code: 'name_taken', message: 'taken' } } : { ok: true, name },
  );
  page.join('Brave Otter');
  await page.own.rename('BOB');
  assert.equal(page.messages.length, 1, 'refused, with a variant offered');
  await page.own.rename('Brave Otter');
  assert.equal(page.hints.at(-1), null, 'the refusal is gone');
  assert.deepEqual(page.asked, ['BOB'], 'the name we have is not asked for');
});

test('a remembered name the rules now refuse is said once joined, with why, not replaced without a word', () => {
  const page = setUp(undefined, 'it mixes letters of scripts that look alike');
  page.join('Brave Otter');
  const told =
    'The name this browser remembered no longer works (it mixes letters of scripts that look alike), so you are “\u2068Brave Otter\u2069”. Change it any time.';
  assert.deepEqual(page.said, [told]);
  assert.equal(page.hints.at(-1), told);
  page.join('Brave Otter');
  assert.equal(page.said.length, 1, 'said once');
});
