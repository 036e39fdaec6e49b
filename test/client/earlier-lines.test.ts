// "(earlier)" on kept lines once their name is here again (client/view/earlier-lines.ts
// markEarlierLines, run by wiring/names.ts when the members here or their names change): a line written by a
// member who has since left, under a name a member here has now, is marked so that it does not
// pass for that member's. Not the lines of members here, nor ours, nor system lines; a line
// is marked once. On a stand-in DOM (fake-dom.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecipientLabel } from '../../client/files/sent-line.ts';
import { createEarlierLines, KEY_PROOF_WAIT_MS, markEarlierLines } from '../../client/view/earlier-lines.ts';
import { createRecipientList, unmarkEarlierRecipients } from '../../client/view/file-recipients.ts';
import { lineParts } from '../../client/view/line-about.ts';
import { markLine, renameInLines } from '../../client/view/line-marks.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

let lineCount = 0;

function line(from: string, name: string, kind = 'chat', own = false): FakeElement {
  const item = new FakeElement('li');
  item.dataset['from'] = from;
  item.dataset['id'] = `line-${String(++lineCount).padStart(11, '0')}`;
  item.dataset['kind'] = kind;
  if (own) item.classList.add('own');
  const sender = new FakeElement('span');
  sender.className = 'line-sender';
  sender.textContent = name;
  item.append(sender);
  return item;
}

test('a line of a member gone, under a name here now, is marked "(earlier)"; others are not, and none twice', () => {
  const dom = installFakeDom([]);
  try {
    const gone = line('carol-old-01', 'Carol');
    const present = line('carol-new-01', 'Carol');
    const otherName = line('dave-gone-01', 'Dave');
    const ours = line('me-00000001', 'You', 'chat', true);
    const system = line('carol-old-01', 'Carol', 'system');
    const lines = [gone, present, otherName, ours, system];
    const here = (id: string) => id === 'carol-new-01' || id === 'me-00000001';
    const nameHere = (name: string) => name.toLowerCase() === 'carol';
    const told: string[] = [];
    markEarlierLines(lines as unknown as Element[], here, nameHere, (from, id) => told.push(`${from}/${id}`));
    assert.deepEqual(
      lines.map((item) => item.dataset['earlier'] ?? ''),
      ['true', '', '', '', ''],
    );
    // Its quotes are marked too (replies.ts): told of the one line marked.
    assert.deepEqual(told, [`carol-old-01/${gone.dataset['id']}`]);
    // Heard with its mark, as a history line's (line-about.ts).
    assert.equal(lineParts(gone as unknown as HTMLElement).sender, 'Carol (earlier)');
    markEarlierLines(lines as unknown as Element[], here, nameHere, (from, id) => told.push(`${from}/${id}`));
    assert.equal(gone.children.filter((child) => child.className === 'name-earlier').length, 1, 'marked once');
    assert.equal(told.length, 1, 'told once');
  } finally {
    dom.restore();
  }
});

test('on the line of a file we sent, a recipient gone under a name a member has now is marked "(earlier)", and stays marked as the list is drawn again', () => {
  const dom = installFakeDom([]);
  try {
    const said: string[] = [];
    const list = createRecipientList((text) => said.push(text));
    const item = line('me-00000001', 'You', 'file', true);
    const element = list.element as unknown as FakeElement;
    item.append(element);
    const entry = (id: string): RecipientLabel => ({
      id,
      state: 'verified',
      name: 'bob',
      mark: '✓',
      words: 'received',
    });
    list.show([entry('bob-old-0001'), { ...entry('carol-00001'), name: 'carol' }]);
    // Bob closed his tab and opened the link again: a new member under his name.
    const here = (id: string) => id !== 'bob-old-0001';
    const nameHere = (name: string) => name === 'bob' || name === 'carol';
    markEarlierLines([item] as unknown as Element[], here, nameHere);
    const entries = () => element.children.filter((child) => child.dataset['testid'] === 'file-recipient');
    const text = (node: FakeElement): string =>
      node.children.length === 0 ? node.textContent : node.children.map(text).join('');
    assert.deepEqual(entries().map(text), ['bob (earlier) ✓ received', 'carol ✓ received']);
    // The new Bob takes the file too: the list is drawn again with him (the members here the
    // same, nothing looks through the lines again), the gone one still marked.
    list.show([
      entry('bob-old-0001'),
      { ...entry('carol-00001'), name: 'carol' },
      { ...entry('bob-new-0001'), state: 'transferring', mark: '', words: 'receiving' },
    ]);
    assert.deepEqual(
      entries()
        .map((node) => [node.dataset['member'], text(node)])
        .sort(),
      [
        ['bob-new-0001', 'bob receiving'],
        ['bob-old-0001', 'bob (earlier) ✓ received'],
        ['carol-00001', 'carol ✓ received'],
      ],
    );
    list.show([entry('bob-old-0001'), { ...entry('carol-00001'), name: 'carol' }, entry('bob-new-0001')]);
    assert.deepEqual(said, ['bob received'], 'the new one, said as it changed');
  } finally {
    dom.restore();
  }
});

test('a file’s recipient marked "(earlier)" is unmarked once it is back under its id, and stays so as the list is drawn again under its name now', () => {
  const dom = installFakeDom([]);
  try {
    const list = createRecipientList(() => {});
    const item = line('me-00000001', 'You', 'file', true);
    const element = list.element as unknown as FakeElement;
    item.append(element);
    const carol: RecipientLabel = { id: 'carol-00001', state: 'verified', name: 'carol', mark: '✓', words: 'received' };
    const bob: RecipientLabel = { ...carol, id: 'bob-0000001', name: 'carol' };
    list.show([carol, bob]);
    // Carol left, and Bob took her name.
    markEarlierLines(
      [item] as unknown as Element[],
      (id) => id !== carol.id,
      (name) => name === 'carol',
    );
    const text = (node: FakeElement): string =>
      node.children.length === 0 ? node.textContent : node.children.map(text).join('');
    const entryOf = (id: string) => element.children.find((child) => child.dataset['member'] === id);
    assert.equal(text(entryOf(carol.id) as FakeElement), 'carol (earlier) ✓ received');
    // Back under her id as "carol 2": the mark goes, then the list is drawn under her name now.
    unmarkEarlierRecipients([item] as unknown as Element[], carol.id);
    assert.equal(text(entryOf(carol.id) as FakeElement), 'carol ✓ received');
    list.show([{ ...carol, name: 'carol 2' }, bob]);
    assert.equal(text(entryOf(carol.id) as FakeElement), 'carol 2 ✓ received');
    assert.equal(entryOf(carol.id)?.dataset['earlier'], undefined);
    assert.equal(text(entryOf(bob.id) as FakeElement), 'carol ✓ received');
  } finally {
    dom.restore();
  }
});

test('the lines are looked through when the members here change, not only their names: a namesake who leaves after the newcomer came', () => {
  const dom = installFakeDom([]);
  try {
    // Carol (old id) is still heard when a new Carol joins: both here, her lines unmarked.
    const old = line('carol-old-01', 'Carol');
    let looked = 0;
    const kept = () => {
      looked++;
      return [old] as unknown as Element[];
    };
    const earlier = createEarlierLines(kept, (name) => [name.toLowerCase()]);
    earlier.update(['me-00000001', 'carol-old-01', 'carol-new-01'], ['You', 'Carol', 'Carol']);
    assert.equal(old.dataset['earlier'], undefined);
    // Nothing changed: the lines are not looked through again.
    earlier.update(['carol-new-01', 'carol-old-01', 'me-00000001'], ['Carol', 'You', 'Carol']);
    assert.equal(looked, 1);
    // The old one goes; the names here are the same ("Carol"), the members are not.
    earlier.update(['me-00000001', 'carol-new-01'], ['You', 'Carol']);
    assert.equal(old.dataset['earlier'], 'true');
    assert.equal(looked, 2);
  } finally {
    dom.restore();
  }
});

test('the lines of an author back under a new id and its name, holding its key, are not marked; carrying it unproved, they wait for the proof, and are marked once the wait runs out', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const dom = installFakeDom([]);
  try {
    // Dave's lines from before his browser crashed; Dave is back as dave-new-01 with his key.
    const dave = line('dave-old-01', 'Dave');
    // Gus's: a member under his name carries his key, not proved yet.
    const gus = line('gus-old-001', 'Gus');
    // Hal's: the member holding his key is here as Harold; another member is named Hal.
    const hal = line('hal-old-001', 'Hal');
    let clock = 1_000;
    let held = new Set(['dave-old-01/Dave', 'hal-old-001/Harold']);
    const carried = new Map([['gus-old-001/Gus', ['gus-new-001']]]);
    let lookedAgain = 0;
    const earlier = createEarlierLines(
      () => [dave, gus, hal] as unknown as Element[],
      (name) => [name.toLowerCase()],
      undefined,
      {
        under: (from, name) => ({
          held: held.has(`${from}/${name}`),
          carrying: carried.get(`${from}/${name}`) ?? [],
        }),
        lookAgain: () => lookedAgain++,
      },
      () => clock,
    );
    const ids = ['me-00000001', 'dave-new-01', 'gus-new-001', 'harold-0001', 'hal-new-001'];
    const names = ['You', 'Dave', 'Gus', 'Harold', 'Hal'];
    earlier.update(ids, names);
    assert.deepEqual(
      [dave, gus, hal].map((item) => item.dataset['earlier'] ?? ''),
      ['', '', 'true'],
    );
    // Still waiting: every drawing looks again, though nothing changed.
    clock += KEY_PROOF_WAIT_MS / 2;
    earlier.update(ids, names);
    assert.equal(gus.dataset['earlier'], undefined);
    // The wait runs out: the page is asked to look again, and Gus's line is marked.
    t.mock.timers.tick(KEY_PROOF_WAIT_MS / 2 - 1);
    assert.equal(lookedAgain, 0, 'not before');
    t.mock.timers.tick(1);
    assert.equal(lookedAgain, 1, 'asked to look again when the wait ran out');
    clock += KEY_PROOF_WAIT_MS / 2;
    earlier.update(ids, names);
    assert.equal(gus.dataset['earlier'], 'true');
    // Dave's key holder leaves, and a newcomer takes the name: Dave's line is marked then.
    held = new Set();
    earlier.update(['me-00000001', 'dave-other-1'], ['You', 'Dave']);
    assert.equal(dave.dataset['earlier'], 'true');
  } finally {
    dom.restore();
  }
});

test('a proof that comes within the wait leaves the line unmarked for good', () => {
  const dom = installFakeDom([]);
  try {
    const gus = line('gus-old-001', 'Gus');
    let clock = 0;
    let proved = false;
    const earlier = createEarlierLines(
      () => [gus] as unknown as Element[],
      (name) => [name.toLowerCase()],
      undefined,
      {
        under: () => ({ held: proved, carrying: proved ? [] : ['gus-new-001'] }),
        lookAgain: () => {},
      },
      () => clock,
    );
    const ids = ['me-00000001', 'gus-new-001'];
    earlier.update(ids, ['You', 'Gus']);
    proved = true;
    clock += KEY_PROOF_WAIT_MS * 2;
    earlier.update(ids, ['You', 'Gus']);
    earlier.update(ids, ['You', 'Gus']);
    assert.equal(gus.dataset['earlier'], undefined);
  } finally {
    dom.restore();
  }
});

test('our private line to a member gone, under a name here now, names it "(earlier)"; not while it is here, nor under a name nobody has, nor twice; back under its id, it is named as it is now, unmarked', () => {
  const dom = installFakeDom([]);
  try {
    /** Our private line to `to`, named `name` as it was drawn. */
    const toward = (to: string, name: string) => {
      const item = line('me-00000001', 'You', 'chat', true);
      markLine(
        item as unknown as HTMLElement,
        { kind: 'chat', id: 'l', from: 'me', ts: 1, text: 'hi', own: true, privateTo: to },
        () => name,
      );
      return item;
    };
    const mark = (item: FakeElement) => item.querySelector('.line-mark-to');
    const tags = (item: FakeElement) =>
      mark(item)?.children.filter((child) => child.className === 'name-earlier').length;
    const toDee = toward('dee-old-0001', 'Dee');
    const toEve = toward('eve-old-0001', 'Eve');
    const toFay = toward('fay-here-001', 'Fay');
    const lines = [toDee, toEve, toFay] as unknown as Element[];
    const here = (id: string) => id === 'fay-here-001' || id === 'dee-new-0001';
    const nameHere = (name: string) => ['dee', 'fay'].includes(name.toLowerCase());
    const told: string[] = [];
    markEarlierLines(lines, here, nameHere, (from, id) => told.push(`${from}/${id}`));
    assert.deepEqual([tags(toDee), tags(toEve), tags(toFay)], [1, 0, 0]);
    assert.equal(toDee.dataset['earlier'], undefined, 'our line is ours: only its recipient is marked');
    assert.deepEqual(told, [], 'no quote to mark');
    markEarlierLines(lines, here, nameHere);
    assert.equal(tags(toDee), 1, 'marked once');
    // It went to that member: another here with its key (its tab back under a new id) does
    // not keep the mark off, as it does an author's line (the private bar marks it alike).
    const toGus = toward('gus-old-0001', 'Gus');
    markEarlierLines(
      [toGus] as unknown as Element[],
      here,
      () => true,
      undefined,
      (from) => from === 'gus-old-0001',
    );
    assert.equal(tags(toGus), 1);
    // Dee is back under her id as "Dee 2": the line names her so, unmarked.
    renameInLines(lines, 'dee-old-0001', 'Dee 2', 'Dee 2');
    assert.equal(mark(toDee)?.textContent, 'private · to Dee 2');
    assert.equal(tags(toDee), 0);
  } finally {
    dom.restore();
  }
});
