// Two members with one name (client/twins.ts, client/fingerprint.ts): names are unique in a
// room only because the server says so, and a lying server can introduce Mallory as "Alice"
// (or "AIice") beside Alice. The page tells them apart by their key codes (SHA-256 of each
// member's per-join signing key), says so once, and a mention carrying one twin's tag is not
// the other's. Real keys (WebCrypto P-256), the real nameKeys.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { tableOf } from '../../client/confusables.ts';
import { keyCode } from '../../client/fingerprint.ts';
import { toBase64Url } from '../../client/identity.ts';
import { createTwins, isNoKeyTag, meetingText, noKeyTag, type Person, SAME_KEY, tagText } from '../../client/twins.ts';
import { type MemberParts, memberAbout } from '../../client/view/member-about.ts';
import { offerAt } from '../../client/view/mention-suggest.ts';
import { mentionsYou } from '../../client/view/mentions.ts';
import { nameKeys, skeleton } from '../../protocol/name-key.ts';
import { keysWithSkeleton, skeletonWith } from '../../protocol/name-skeleton.ts';

/** The confusables table as the build hands it to the page (public/confusables.json). */
const TABLE: Record<string, string> = createRequire(import.meta.url)('unhomoglyph/data.json');

async function signingKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
}

/** Members a, b, c… with these names, each with a key of its own. */
async function named(...names: string[]): Promise<Person[]> {
  return Promise.all(names.map(async (name, i) => ({ id: 'abcdefgh'.charAt(i), name, key: await signingKey() })));
}

const CODE = /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/;

test('a key code is the start of SHA-256 over the raw public key, in four groups of four hex digits', async () => {
  const key = await signingKey();
  const code = keyCode(key);
  assert.match(code ?? '', CODE);
  const raw = Buffer.from(key, 'base64url');
  const hex = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  assert.equal(code?.replaceAll(' ', ''), hex);
  assert.equal(keyCode(key), code, 'the same key, the same code');
  assert.notEqual(keyCode(await signingKey()), code);
  assert.equal(keyCode(''), null, 'not a key');
  assert.equal(keyCode('!!!'), null);
});

test('a server that gives another member our name: both are tagged apart, and the page says so once', async () => {
  const alice: Person = { id: 'alice', name: 'Alice', key: await signingKey() };
  const mallory: Person = { id: 'mallory', name: 'Alice', key: await signingKey() };
  const bob: Person = { id: 'bob', name: 'Bob', key: await signingKey() };
  const twins = createTwins();
  assert.deepEqual(twins.update([alice, bob], 'alice'), [], 'names of their own: nothing to say');
  assert.equal(twins.tag('alice'), null);
  const before = twins.version;

  const met = twins.update([alice, bob, mallory], 'alice');
  assert.deepEqual(met, [{ names: ['Alice'], count: 2, withYou: true }]);
  const text = meetingText(met[0] as (typeof met)[0]);
  assert.match(text, /^Someone else here is also named \u2068Alice\u2069\./);
  assert.match(text, /The server should never allow that/);
  const [ours, theirs] = [twins.tag('alice'), twins.tag('mallory')];
  assert.ok(ours !== null && theirs !== null);
  assert.notEqual(ours, theirs);
  assert.ok(keyCode(alice.key ?? '')?.startsWith(ours), 'the tag is the start of the key code');
  assert.equal(twins.tag('bob'), null, 'Bob’s name is his own');
  assert.notEqual(twins.version, before, 'views redraw their tags');

  // Said once: the same twins again, or a server that flaps Mallory out and in, say nothing more.
  const tagged = twins.version;
  assert.deepEqual(twins.update([alice, bob, mallory], 'alice'), []);
  assert.equal(twins.version, tagged, 'nothing changed');
  assert.deepEqual(twins.update([alice, bob], 'alice'), []);
  assert.equal(twins.tag('alice'), null, 'once alone again, her name is hers');
  assert.deepEqual(twins.update([alice, bob, mallory], 'alice'), []);
  assert.equal(twins.tag('mallory'), theirs);
});

test('the page compares names as the server does, with the table it fetches', () => {
  const pageSkeleton = skeletonWith(tableOf(TABLE));
  for (const key of Object.keys(TABLE)) assert.equal(pageSkeleton(key), skeleton(key), `U+${key.codePointAt(0)}`);
  for (const name of [
    'Alice',
    'Аlice',
    'AIice',
    'ＡLICE',
    'rnary',
    'Zoë',
    'Ana María',
    '李雷',
    'paypal',
    'раураl',
    'ВОВ',
    'ΑΝΝ',
  ]) {
    assert.deepEqual(keysWithSkeleton(name, pageSkeleton), nameKeys(name), name);
  }
});

test('a table that is not text for text is taken only as far as it is', () => {
  const table = tableOf(JSON.parse('{"а":"a","__proto__":"x","n":1,"m":null}'));
  assert.deepEqual(Object.keys(table), ['а', '__proto__']);
  assert.equal(Object.getPrototypeOf(table), Object.prototype);
  assert.equal(skeletonWith(table)('аb'), 'ab');
  for (const junk of [null, 'a', [1], 42]) assert.deepEqual(tableOf(junk), {});
});

test('look-alikes ("rn" for "m", a name all in Cyrillic) are twins once the page has the confusables table', async () => {
  const twins = createTwins();
  const people = await named('Emma', 'Ernma', 'cope', '\u0441\u043e\u0440\u0435'); // "соре", in Cyrillic
  assert.deepEqual(twins.update(people, 'a'), [], 'without the table, not yet');
  twins.useSkeleton(skeletonWith(tableOf(TABLE)));
  assert.deepEqual(twins.update(people, 'a'), [
    { names: ['Emma', 'Ernma'], count: 2, withYou: true },
    { names: ['cope', '\u0441\u043e\u0440\u0435'], count: 2, withYou: false },
  ]);
  assert.ok(['a', 'b', 'c', 'd'].every((id) => twins.tag(id) !== null));
});

test('a name all in Cyrillic or Greek capitals drawn as a Latin name here is its twin, once the page has the table', async () => {
  const pairs = [
    ['BOB', '\u0412\u041E\u0412'], // "ВОВ"
    ['Ann', '\u0391\u039D\u039D'], // "ΑΝΝ", Greek
    ['Tom', '\u0422\u041E\u041C'], // "ТОМ"
    ['Emma', '\u0415\u041C\u041C\u0410'], // "ЕММА"
  ] as const;
  for (const [latin, lookalike] of pairs) {
    const twins = createTwins();
    twins.useSkeleton(skeletonWith(tableOf(TABLE)));
    const met = twins.update(await named(latin, lookalike), 'a');
    assert.deepEqual(met, [{ names: [latin, lookalike], count: 2, withYou: true }], lookalike);
    assert.ok(twins.tag('a') !== null && twins.tag('b') !== null, lookalike);
  }
});

test('names alike in either case are one group: "BOB" and "ВОВ" (drawn alike), "ВОВ" and "вов" (one name in two cases)', async () => {
  const twins = createTwins();
  twins.useSkeleton(skeletonWith(tableOf(TABLE)));
  // "вов" alone beside "BOB" is no twin: its small letters are drawn as small capitals.
  assert.deepEqual(twins.update(await named('BOB', '\u0432\u043E\u0432', 'Carol'), 'c'), []);
  const people = await named('BOB', '\u0432\u043E\u0432', 'Carol', '\u0412\u041E\u0412');
  assert.deepEqual(twins.update(people, 'c'), [
    { names: ['BOB', '\u0432\u043E\u0432', '\u0412\u041E\u0412'], count: 3, withYou: false },
  ]);
  assert.equal(new Set(['a', 'b', 'd'].map((id) => twins.tag(id))).size, 3);
  assert.equal(twins.tag('c'), null);
});

test('names of other scripts that do not look alike stay apart, with the table', async () => {
  const twins = createTwins();
  twins.useSkeleton(skeletonWith(tableOf(TABLE)));
  const names = ['Bob', '\u0412\u043E\u0432\u0430', 'Boba', 'Tom', 'Tim', '\u0422\u0438\u043C', 'Nikos'];
  names.push(
    '\u039D\u03AF\u03BA\u03BF\u03C2',
    'Maria',
    '\u039C\u03B1\u03C1\u03AF\u03B1',
    '\u041E\u043B\u044C\u0433\u0430',
  );
  // Вова, Тим, Νίκος, Μαρία, Ольга beside Bob, Boba, Tim, Nikos, Maria.
  const people = names.map((name, i) => ({ id: `p${i}`, name, key: null }));
  assert.deepEqual(twins.update(people, 'p0'), []);
});

test('names that meet as the server compares them are twins too: case, width, a capital I for an l', async () => {
  const twins = createTwins();
  const people = await named('Alice', 'AIice', 'ＡLICE', 'Alicia');
  const met = twins.update(people, 'd');
  assert.deepEqual(met, [{ names: ['Alice', 'AIice', 'ＡLICE'], count: 3, withYou: false }]);
  assert.match(meetingText(met[0] as (typeof met)[0]), /^3 members here have names that look alike/);
  assert.equal(new Set(['a', 'b', 'c'].map((id) => twins.tag(id))).size, 3);
  assert.equal(twins.tag('d'), null);
});

test('a twin whose key is not known yet says so; two that announce one key are both flagged', async () => {
  const twins = createTwins();
  const key = await signingKey();
  twins.update(
    [
      { id: 'a', name: 'Alice', key },
      { id: 'b', name: 'Alice', key: null },
    ],
    null,
  );
  assert.equal(twins.tag('b'), noKeyTag(2));
  assert.equal(tagText(noKeyTag(2)), '(no key yet, 2)');
  assert.equal(twins.tag('a')?.length, 4, 'one group tells a code from none');
  twins.update(
    [
      { id: 'a', name: 'Alice', key },
      { id: 'b', name: 'Alice', key },
    ],
    null,
  );
  assert.equal(twins.tag('a'), `${keyCode(key)} (${SAME_KEY})`);
  assert.equal(twins.tag('b'), twins.tag('a'));
});

test('twins that come before their keys are told apart by the order this page met them, a number never passed on; each key code once known', async () => {
  const twins = createTwins();
  const carol: Person = { id: 'carol', name: 'Carol', key: await signingKey() };
  const first: Person = { id: 'a1', name: 'Alice', key: null };
  const second: Person = { id: 'a2', name: 'AIice', key: null };
  twins.update([carol, first], 'carol');
  assert.equal(twins.tag('a1'), null, 'alone, her name is hers');
  twins.update([carol, first, second], 'carol');
  const [one, two] = [twins.tag('a1'), twins.tag('a2')];
  assert.equal(one, noKeyTag(1));
  assert.equal(two, noKeyTag(2));
  assert.deepEqual(
    [one, two].map((tag) => tagText(tag ?? '')),
    ['(no key yet, 1)', '(no key yet, 2)'],
  );
  assert.ok([one, two].every((tag) => isNoKeyTag(tag ?? '')));

  // The first one's key comes: her code; the second keeps his number.
  const key = await signingKey();
  twins.update([carol, { ...first, key }, second], 'carol');
  assert.equal(twins.tag('a1'), keyCode(key)?.slice(0, 4));
  assert.equal(isNoKeyTag(twins.tag('a1') ?? ''), false);
  assert.equal(twins.tag('a2'), noKeyTag(2));

  // She leaves and a third comes without a key: a number of his own, not hers, which earlier
  // lines still show for her.
  const third: Person = { id: 'a3', name: 'Alice', key: null };
  twins.update([carol, second, third], 'carol');
  assert.equal(twins.tag('a2'), noKeyTag(2));
  assert.equal(twins.tag('a3'), noKeyTag(3));
});

test('codes that start alike are shown as far as they differ', () => {
  // Two "keys" whose SHA-256 share their first four hex digits (found by trying).
  const first = Buffer.from('key-0');
  const prefix = createHash('sha256').update(first).digest('hex').slice(0, 4);
  let n = 1;
  while (createHash('sha256').update(`key-${n}`).digest('hex').slice(0, 4) !== prefix) n += 1;
  const keys = [first, Buffer.from(`key-${n}`)].map((bytes) => bytes.toString('base64url'));
  const twins = createTwins();
  twins.update(
    keys.map((key, i) => ({ id: `m${i}`, name: 'Alice', key })),
    null,
  );
  const tags = [twins.tag('m0'), twins.tag('m1')];
  assert.ok(
    tags.every((tag) => tag?.startsWith(prefix) && tag.length === 9),
    `two groups: ${tags.join(', ')}`,
  );
  assert.notEqual(tags[0], tags[1]);
});

test('the message box offers each twin with its tag, and a mention with a tag is only its twin’s', async () => {
  const [ours, theirs] = [keyCode(await signingKey()), keyCode(await signingKey())];
  assert.ok(ours !== null && theirs !== null);
  const oursTag = ours.slice(0, 4);
  const theirsTag = theirs.slice(0, 4);
  // On Bob's page: both Alices are offered, each with its tag.
  const offered = offerAt('hi @Alice', 9, [`Alice #${oursTag}`, `Alice #${theirsTag}`, 'Bob']);
  assert.deepEqual(offered?.names.sort(), [`Alice #${oursTag}`, `Alice #${theirsTag}`].sort());
  // On Alice's page: the mention Bob picked for the other Alice is not hers; hers is, and so
  // is one without a tag (written by someone who does not see two).
  assert.equal(mentionsYou(`hi @Alice #${theirsTag} lunch?`, 'Alice', ['Bob'], ours), false);
  assert.equal(mentionsYou(`hi @Alice #${oursTag} lunch?`, 'Alice', ['Bob'], ours), true);
  assert.equal(mentionsYou(`hi @Alice #${ours} lunch?`, 'Alice', ['Bob'], ours), true, 'the whole code');
  assert.equal(mentionsYou('hi @Alice lunch?', 'Alice', ['Bob'], ours), true);
  assert.equal(mentionsYou('hi @Alice #topic', 'Alice', ['Bob'], ours), true, 'a hashtag is no tag');
  assert.equal(mentionsYou(`hi @Alice #${theirsTag}`, 'Alice', ['Bob']), false, 'no code of ours: not ours');
});

test('a member’s details carry its key code, to compare out of band', () => {
  const parts: MemberParts = {
    name: 'Alice #3f2a',
    verified: '',
    state: 'connected',
    path: '',
    doing: [],
    note: '',
    reason: ['', ''],
    privately: false,
    code: '3f2a 91c0 77de 0b12',
  };
  assert.deepEqual(memberAbout(parts), { name: 'Alice #3f2a: connected', description: 'Key code 3f2a 91c0 77de 0b12' });
});
