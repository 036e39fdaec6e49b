// The lines' side of replies (client/view/replies.ts), on a stand-in page: a quote shows the
// original as this page holds it, is drawn again when the original comes after the reply
// (history), and what waits for originals that never come stays bounded: a member may send
// any number of replies to ids nobody wrote, and a waiting quote holds its line's element. A
// file's line is quoted by its name, as written.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createReplies } from '../../client/view/replies.ts';
import type { ReplyTarget } from '../../client/view/reply-compose.ts';
import type { ReplyRef } from '../../protocol/index.ts';
import { type FakeElement, installFakeDom } from './fake-dom.ts';

const dom = installFakeDom(['messages']);
after(() => dom.restore());

function setUp() {
  const list = dom.byId('messages');
  const started: ReplyTarget[] = [];
  /** Members' names now, by peer id, as wiring/names.ts has them (none: as their lines came). */
  const names = new Map<string, string>();
  /** What happened, in order: the line readied for a reply (beforeReply), then the reply started. */
  const steps: string[] = [];
  const replies = createReplies(list as unknown as HTMLElement, {
    start: (target) => {
      started.push(target);
      steps.push(`start ${target.re.id}`);
    },
    beforeReply: (item) => steps.push(`before ${item.dataset.id}`),
    reveal: () => false,
    nameOf: (peerId) => names.get(peerId) ?? null,
  });
  /** The quote of a reply by `by` (its author's name; `from`, its peer id), private with `privateWith` or public. */
  const quote = (re: ReplyRef, by = 'mallory', privateWith: string | null = null, from?: string) =>
    replies.quote(re, { by, privateWith, ...(from === undefined ? {} : { from }) }) as unknown as FakeElement;
  /** What a quote shows: "name: text". */
  const shows = (element: FakeElement) => element.children.map((part) => part.textContent).join('');
  /**
   * Alice's line shown; `checked`: as hers (live, or its signature fits), not only a relaying
   * member's word; `privateWith`: private between her and us.
   */
  const original = (id: string, text = 'the real text', checked = true, privateWith: string | null = null) => {
    const item = document.createElement('li');
    replies.shown(item, { from: 'alice-000001', id, name: 'alice', text, privateWith, checked });
    return item as unknown as FakeElement;
  };
  /** Alice's line from history relayed by `by`, her key unknown (she left): as the page shows it (wiring/show-line.ts). */
  const relayed = (id: string, text: string, by = 'bob', earlier = false) => {
    const item = document.createElement('li');
    // Marked as view/line-marks.ts marks it, before replies.ts sees it.
    if (earlier) item.dataset.earlier = 'true';
    replies.shown(item, {
      ...{ from: 'alice-000001', id, name: 'alice', text, privateWith: null, checked: false },
      ...{ relayedBy: by, earlier },
    });
    return item as unknown as FakeElement;
  };
  return { replies, started, steps, quote, shows, original, relayed, names };
}

const claim = (id: string): ReplyRef => ({ from: 'alice-000001', id, name: 'carol', text: 'made up' });

test('a quote shows the original held here over what the reply claims, and is drawn again when the original comes later', () => {
  const { quote, shows, original } = setUp();
  original('line-known-000001', 'lunch at noon?');
  const known = quote(claim('line-known-000001'));
  assert.equal(shows(known), 'alice: lunch at noon?');
  assert.equal(known.dataset.known, 'true');
  const early = quote(claim('line-later-000001'));
  assert.equal(shows(early), 'carol: made up (as mallory quotes it)');
  assert.equal(early.dataset.known, 'false');
  original('line-later-000001', 'came after its reply');
  assert.equal(shows(early), 'alice: came after its reply');
  assert.equal(early.dataset.known, 'true');
});

test('a quote of a line this page does not hold says whose word it is: a reply cannot put words in another’s mouth unmarked', () => {
  const { quote, shows, original } = setUp();
  const lie = quote({ from: 'alice-000001', id: 'never-written-01', name: 'alice', text: 'I owe Mallory 100 €' });
  assert.equal(shows(lie), 'alice: I owe Mallory 100 € (as mallory quotes it)');
  const claimPart = (quote: FakeElement) => quote.children.find((part) => part.dataset.testid === 'reply-claim');
  assert.ok(claimPart(lie), 'a part of its own (line-about.ts reads it too)');
  const real = quote(claim('line-real-000001'));
  original('line-real-000001', 'lunch at noon?');
  assert.equal(shows(real), 'alice: lunch at noon?', 'once the original is here, it is what shows');
  assert.equal(claimPart(real), undefined);
});

test('a public reply’s quote never shows a private line held here; a private reply between the same two does', () => {
  const { quote, shows, original } = setUp();
  // Alice's private line to us, named by a public reply (only its two parties know its id: her page, modified).
  const ref: ReplyRef = { from: 'alice-000001', id: 'line-private-0001', name: 'alice', text: 'nothing to see' };
  const inPublic = quote(ref);
  original('line-private-0001', 'my door code is 4711', true, 'alice-000001');
  assert.equal(
    shows(inPublic),
    'alice: nothing to see (as mallory quotes it)',
    'drawn again: still not the private text',
  );
  assert.equal(shows(quote(ref)), 'alice: nothing to see (as mallory quotes it)');
  assert.equal(shows(quote(ref, 'mallory', 'mallory-00001')), 'alice: nothing to see (as mallory quotes it)');
  assert.equal(shows(quote(ref, 'alice', 'alice-000001')), 'alice: my door code is 4711');
});

test('a shown message gets a Reply button that starts a reply to it, with its excerpt', () => {
  const { started, original } = setUp();
  const item = original('line-reply-000001', 'shall   we\nmeet?');
  const button = item.children.find((child) => child.dataset.testid === 'reply');
  assert.ok(button);
  button.dispatch('click');
  assert.deepEqual(started, [
    {
      re: { from: 'alice-000001', id: 'line-reply-000001', name: 'alice', text: 'shall we meet?' },
      privateWith: null,
      own: false,
    },
  ]);
});

test('a line is readied before a reply to it starts (shown, if collapsed for an ignored author: wiring/line-views.ts)', () => {
  const { steps, original } = setUp();
  const item = original('line-first-000001', 'hidden words');
  item.dataset.id = 'line-first-000001';
  item.children.find((child) => child.dataset.testid === 'reply')?.dispatch('click');
  assert.deepEqual(steps, ['before line-first-000001', 'start line-first-000001']);
});

test('a file’s line takes replies too: its Reply names it as written, and its quotes show its name as written', () => {
  const { started, quote, shows, replies } = setUp();
  const item = document.createElement('li');
  replies.shown(item, {
    ...{ from: 'alice-000001', id: 'file-reply-000001', name: 'alice', text: '_draft_.txt' },
    ...{ privateWith: null, checked: true, literal: true },
  });
  (item as unknown as FakeElement).children.find((child) => child.dataset.testid === 'reply')?.dispatch('click');
  assert.deepEqual(started, [
    {
      re: { from: 'alice-000001', id: 'file-reply-000001', name: 'alice', text: '_draft_.txt' },
      privateWith: null,
      own: false,
      literal: true,
    },
  ]);
  assert.equal(shows(quote(claim('file-reply-000001'))), 'alice: _draft_.txt');
});

test('quotes waiting for originals that never come are bounded: the oldest lines’ are forgotten, and a few per line', () => {
  const { quote, shows, original } = setUp();
  const waiting = Array.from({ length: 300 }, (_, i) => quote(claim(`never-${String(i).padStart(12, '0')}`)));
  original(`never-${'0'.padStart(12, '0')}`);
  assert.equal(
    shows(waiting[0] as FakeElement),
    'carol: made up (as mallory quotes it)',
    'the oldest awaited line was forgotten',
  );
  original(`never-${'299'.padStart(12, '0')}`);
  assert.equal(shows(waiting[299] as FakeElement), 'alice: the real text', 'the newest still waits');
  const many = Array.from({ length: 12 }, () => quote(claim('many-replies-0001')));
  original('many-replies-0001');
  assert.deepEqual(
    many.map((one) => one.dataset.known),
    [...Array(4).fill('false'), ...Array(8).fill('true')],
    'the last 8 quotes of one line wait for it',
  );
});

test('a forged line (its author’s key does not check it) is no original for quotes: an honest reply keeps its own words', () => {
  const { quote, shows, original } = setUp();
  // Bob's reply, signed by Bob, quotes what Alice wrote.
  const honest: ReplyRef = { from: 'alice-000001', id: 'line-forged-00001', name: 'alice', text: 'see you at noon' };
  const before = quote(honest, 'bob');
  // Mallory answers history with a line under Alice's id whose signature does not fit.
  original('line-forged-00001', 'I hate you all', false);
  const bobs = 'alice: see you at noon (as bob quotes it)';
  assert.equal(shows(before), bobs, 'a quote waiting for the line is not drawn from the forgery');
  const after = quote(honest, 'bob');
  assert.equal(shows(after), bobs, 'nor is a quote made after it');
  assert.equal(after.dataset.known, 'false');
  // The real line, checked against Alice's key, comes after all: quotes show it.
  original('line-forged-00001', 'see you at noon!');
  assert.equal(shows(before), 'alice: see you at noon!');
  assert.equal(shows(quote(honest, 'bob')), 'alice: see you at noon!');
});

test('a reply to itself, or with markup in what it claims of a line nobody wrote, shows as text, once', () => {
  const { quote, shows, original } = setUp();
  const own = quote({ from: 'alice-000001', id: 'line-itself-0001', name: 'alice', text: 'x' });
  original('line-itself-0001', 'a reply to itself');
  assert.equal(shows(own), 'alice: a reply to itself', 'it quotes itself, and nothing loops');
  const markup = quote({ ...claim('line-nowhere-001'), name: '<b>bob</b>', text: '<img src=x onerror=alert(1)>' });
  assert.equal(shows(markup), '<b>bob</b>: <img src=x onerror=alert(1)> (as mallory quotes it)');
  assert.ok(
    markup.children.every((part) => part.children.length === 0),
    'drawn as text: no elements made from it',
  );
});

test('a line relayed for an author who left is quoted as it now reads (edited, deleted), as its relayer’s word, whichever comes first', () => {
  const { replies, quote, shows, relayed } = setUp();
  // Carol's replies, signed by her, quote Alice's words as they were.
  const ref = (id: string, text: string): ReplyRef => ({ from: 'alice-000001', id, name: 'alice', text });
  // The reply first (history places it before the line it answers), then the line, deleted.
  const before = quote(ref('line-deleted-0001', 'x2 deleted secret'), 'carol');
  assert.equal(shows(before), 'alice: x2 deleted secret (as carol quotes it)');
  relayed('line-deleted-0001', '');
  replies.revised('alice-000001', 'line-deleted-0001', null); // show-line.ts, for a line shown deleted
  assert.equal(shows(before), 'alice: message deleted (as bob relays it)');
  assert.equal(before.dataset.known, 'relayed');
  assert.equal(
    shows(quote(ref('line-deleted-0001', 'x2 deleted secret'), 'carol')),
    'alice: message deleted (as bob relays it)',
  );
  // The line first, edited, then the reply.
  relayed('line-edited-00001', 'x1 NEW text');
  assert.equal(
    shows(quote(ref('line-edited-00001', 'x1 old secret'), 'carol')),
    'alice: x1 NEW text (as bob relays it)',
  );
  // A copy its author's key checks comes after all: it is what quotes show, without a claim.
  const later = quote(ref('line-edited-00001', 'x1 old secret'), 'carol');
  replies.shown(document.createElement('li'), {
    ...{ from: 'alice-000001', id: 'line-edited-00001', name: 'alice', text: 'x1 NEW text' },
    ...{ privateWith: null, checked: true },
  });
  assert.equal(shows(later), 'alice: x1 NEW text');
  assert.equal(later.dataset.known, 'true');
  relayed('line-edited-00001', 'a relayed copy after the checked one');
  assert.equal(shows(quote(ref('line-edited-00001', 'x'), 'carol')), 'alice: x1 NEW text');
});

test('a quote of a line relayed under a name someone here has now is marked as the line is: "(earlier)"; so is a reply to it being written', () => {
  const { quote, shows, relayed, started } = setUp();
  const item = relayed('line-earlier-0001', 'c1', 'bob', true);
  item.children.find((child) => child.dataset.testid === 'reply')?.dispatch('click');
  assert.deepEqual(started[0]?.earlier, { relayedBy: 'bob' }, 'the reply bar marks it (reply-compose.ts)');
  assert.equal(started[0]?.re.name, 'alice', 'the reference carries the name alone: no name on the wire is longer');
  const marked = quote({ from: 'alice-000001', id: 'line-earlier-0001', name: 'alice', text: 'c1' }, 'dana');
  assert.equal(shows(marked), 'alice (earlier): c1 (as bob relays it)');
  assert.equal(marked.attributes.get('aria-label'), 'alice (earlier): c1 (as bob relays it)');
});

test('a line marked "(earlier)" after it was shown (its author gone, a namesake here: earlier-lines.ts) has its quotes marked, those drawn and those to come, and a reply to it too', () => {
  const { replies, quote, shows, original, started } = setUp();
  // Alice's live line, as hers; a reply to it quotes it.
  const item = original('line-live-000001', 'see you at noon');
  const ref: ReplyRef = { from: 'alice-000001', id: 'line-live-000001', name: 'alice', text: 'see you at noon' };
  const drawnBefore = quote(ref, 'carol');
  assert.equal(shows(drawnBefore), 'alice: see you at noon');
  // She left; another alice joined: the line is marked, and replies.ts told of it.
  item.dataset.earlier = 'true';
  replies.earlier('alice-000001', 'line-live-000001');
  assert.equal(shows(drawnBefore), 'alice (earlier): see you at noon');
  assert.equal(drawnBefore.attributes.get('aria-label'), 'alice (earlier): see you at noon');
  assert.equal(drawnBefore.dataset.known, 'true', 'still her line, as checked');
  assert.equal(shows(quote(ref, 'dana')), 'alice (earlier): see you at noon', 'a quote drawn after');
  // Deleted by her after all: still marked, and deleted.
  replies.revised('alice-000001', 'line-live-000001', null);
  assert.equal(shows(drawnBefore), 'alice (earlier): message deleted');
  assert.equal(drawnBefore.dataset.deleted, 'true');
  replies.earlier('alice-000001', 'line-live-000001');
  assert.equal(drawnBefore.dataset.deleted, 'true', 'marked again: nothing changes');
  // A reply to a marked line: its bar says so, with no relayer.
  const other = original('line-live-000002', 'bring cake');
  other.dataset.earlier = 'true';
  replies.earlier('alice-000001', 'line-live-000002');
  other.children.find((child) => child.dataset.testid === 'reply')?.dispatch('click');
  assert.deepEqual(started.at(-1)?.earlier, { relayedBy: undefined });
  // One not marked is not: a line of another id is untouched.
  assert.equal(shows(quote({ ...ref, id: 'line-live-000003', text: 'x' }, 'dana')), 'alice: x (as dana quotes it)');
});

test('a quote names the line’s author as it is now, drawn again as it is renamed, and so does a reply to the line; a quote’s claim names its replier so (Bob became Robert, and Cid took "bob")', () => {
  const { replies, quote, shows, original, started, names } = setUp();
  const item = original('line-lunch-000001', 'lunch at noon?');
  const ref: ReplyRef = { from: 'alice-000001', id: 'line-lunch-000001', name: 'alice', text: 'lunch at noon?' };
  const drawnBefore = quote(ref, 'carol');
  names.set('alice-000001', 'alicia');
  replies.renamed('alice-000001');
  assert.equal(shows(drawnBefore), 'alicia: lunch at noon?');
  assert.equal(drawnBefore.attributes.get('aria-label'), 'alicia: lunch at noon?');
  assert.equal(shows(quote(ref, 'dana')), 'alicia: lunch at noon?', 'a quote drawn after');
  // A reply to it names her so in the bar, and carries that name, for pages without her line.
  item.children.find((child) => child.dataset.testid === 'reply')?.dispatch('click');
  assert.equal(started.at(-1)?.re.name, 'alicia');
  // A reply claiming a line not held here says whose word it is: its author as named now.
  const claimed = quote({ ...ref, id: 'never-written-01', text: 'made up' }, 'mallory', null, 'mallory-0001');
  assert.equal(shows(claimed), 'alice: made up (as mallory quotes it)');
  names.set('mallory-0001', 'mal');
  replies.renamed('mallory-0001');
  assert.equal(shows(claimed), 'alice: made up (as mal quotes it)');
  // Another member's rename leaves the quotes of her lines as they are.
  names.set('alice-000001', 'ally');
  replies.renamed('carol-000001');
  assert.equal(shows(drawnBefore), 'alicia: lunch at noon?');
});

test('an author back under its id, whatever its name, is no earlier member of it: the quotes of its lines lose "(earlier)", and so does a reply to them', () => {
  const { replies, quote, shows, original, started, names } = setUp();
  const item = original('line-back-000001', 'see you at noon');
  const ref: ReplyRef = { from: 'alice-000001', id: 'line-back-000001', name: 'alice', text: 'see you at noon' };
  const drawnBefore = quote(ref, 'carol');
  // Gone, and another alice here: marked (earlier-lines.ts).
  item.dataset.earlier = 'true';
  replies.earlier('alice-000001', 'line-back-000001');
  assert.equal(shows(drawnBefore), 'alice (earlier): see you at noon');
  // Back as "alice 2" (hers taken): the line marks are gone (line-marks.ts renameInLines), and the quotes'.
  delete item.dataset.earlier;
  names.set('alice-000001', 'alice 2');
  replies.renamed('alice-000001');
  assert.equal(shows(drawnBefore), 'alice 2: see you at noon');
  assert.equal(shows(quote(ref, 'dana')), 'alice 2: see you at noon', 'a quote drawn after');
  item.children.find((child) => child.dataset.testid === 'reply')?.dispatch('click');
  assert.equal(started.at(-1)?.earlier, undefined);
});
