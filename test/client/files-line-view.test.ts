// A file line on the page (view/file-line.ts), on a stand-in DOM: a sender's recipients are text,
// each said whole when it changes and left alone when it does not; bytes, speed and time left
// are in a part of the line that is not said at every update (the chat is a polite live region).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FileLine } from '../../client/files/line.ts';
import { type RecipientLabel, recipientLabel, type SentRecipient } from '../../client/files/sent-line.ts';
import { createFilesView } from '../../client/view/files.ts';
import { createLinesView, type LinesView } from '../../client/view/lines.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
let lines: LinesView;
beforeEach(() => {
  dom = installFakeDom(['messages', 'earlier', 'newer', 'chat', 'file-input', 'file-accept-limit', 'message-input']);
  lines = createLinesView();
});
afterEach(() => dom.restore());

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function showFile(own: boolean, said: string[] = []): { line: FileLine; item: () => FakeElement } {
  const files = createFilesView(lines, { send: () => {}, say: (text) => said.push(text) });
  const info = { id: 'f1', from: 'alice', own, senderName: 'Alice', name: 'big.bin', size: 40_000_000, type: '' };
  const line = files.showLine(
    { ...info, nameChanged: false, privateWith: null, privateWithId: null },
    { cancel: () => {} },
  );
  const item = () => {
    const found = dom.byId('messages').children.find((child) => child.dataset.fileId === 'f1');
    assert.ok(found, 'the file line is on the page');
    return found;
  };
  return { line, item };
}

const all = (root: FakeElement): FakeElement[] => root.children.flatMap((child) => [child, ...all(child)]);
const byTestId = (root: FakeElement, testId: string) => all(root).filter((e) => e.dataset.testid === testId);
/** The text a leaf-built element shows (the stand-in does not join its children's text). */
const textOf = (element: FakeElement): string =>
  element.children.length === 0 ? element.textContent : element.children.map(textOf).join('');
/** The same, as a screen reader has it: without what is aria-hidden. */
const spokenOf = (element: FakeElement): string =>
  element.getAttribute('aria-hidden') === 'true'
    ? ''
    : element.children.length === 0
      ? element.textContent
      : element.children.map(spokenOf).join('');

const label = (name: string, state: SentRecipient['state'], note: string | null = null): RecipientLabel =>
  recipientLabel({ id: `${name}-id`, name, state, note, unreached: null, waitsFor: 'click', done: 0, speed: 0 });

test('a sender’s line shows each recipient as text, by name, said whole, the mark for the eye only', async () => {
  const { line, item } = showFile(true);
  await settle();
  line.state('transferring', '');
  line.recipients([label('Dana <b>x</b>', 'declined'), label('Carol', 'verified'), label('Bob', 'offered')]);
  const list = byTestId(item(), 'file-recipients')[0];
  assert.ok(list);
  assert.equal(list.hidden, false);
  assert.equal(textOf(list), 'Bob waiting to accept · Carol ✓ received · Dana <b>x</b> declined');
  // Read as a whole, the entries are apart (the dots between them are for the eye alone).
  assert.equal(spokenOf(list), 'Bob waiting to accept  Carol received  Dana <b>x</b> declined');
  const entries = byTestId(list, 'file-recipient');
  assert.deepEqual(
    entries.map((entry) => [
      entry.dataset.member,
      entry.dataset.state,
      entry.getAttribute('aria-atomic'),
      spokenOf(entry),
    ]),
    [
      ['Bob-id', 'offered', 'true', 'Bob waiting to accept'],
      ['Carol-id', 'verified', 'true', 'Carol received'],
      ['Dana <b>x</b>-id', 'declined', 'true', 'Dana <b>x</b> declined'],
    ],
  );
  assert.equal(
    all(list).some((e) => e.tagName === 'b'),
    false,
    'a name is text, never markup',
  );

  // Bob accepts: his entry changes, the others are not touched (not said again).
  const written: string[] = [];
  for (const entry of entries)
    for (const part of all(entry)) {
      let text = part.textContent;
      Object.defineProperty(part, 'textContent', {
        get: () => text,
        set: (value: string) => {
          text = value;
          written.push(`${entry.dataset.member}: ${value}`);
        },
      });
    }
  line.recipients([label('Carol', 'verified'), label('Bob', 'transferring'), label('Dana <b>x</b>', 'declined')]);
  assert.equal(textOf(list), 'Bob receiving · Carol ✓ received · Dana <b>x</b> declined');
  assert.ok(written.length > 0 && written.every((change) => change.startsWith('Bob-id: ')), written.join(' | '));
});

test('bytes, speed and time left are shown apart from the status words, and not said at every update', async () => {
  for (const own of [true, false]) {
    const { line, item } = showFile(own);
    await settle();
    line.state('transferring', 'starting…');
    line.progress({ done: 4_200_000, total: 40_000_000, speed: 2_000_000, secondsLeft: 18 });
    const status = byTestId(item(), 'file-status')[0];
    const numbers = byTestId(item(), 'file-progress-text')[0];
    assert.ok(status && numbers);
    assert.equal(numbers.textContent, '4.2 MB of 40 MB · 2.0 MB/s · 18 s left');
    assert.equal(numbers.getAttribute('aria-live'), 'off');
    assert.equal(textOf(status), '4.2 MB of 40 MB · 2.0 MB/s · 18 s left', 'the numbers take the place of "starting…"');
    line.state('verified', 'verified');
    assert.equal(textOf(status), 'verified'); // the words the test gave
    assert.equal(byTestId(item(), 'file-recipients')[0]?.hidden, true, 'no recipients were given');
    dom.byId('messages').children.splice(0);
  }
});

test('a file line’s bar is hidden once nothing will move on it (declined, cancelled, discarded); a received file keeps it', async () => {
  for (const own of [true, false])
    for (const end of ['declined', 'cancelled', 'corrupt', 'verified'] as const) {
      const { line, item } = showFile(own);
      await settle();
      const bar = () => byTestId(item(), 'file-progress')[0];
      assert.equal(bar()?.hidden, false, 'shown while the file is offered');
      line.state('transferring', 'starting…');
      line.progress({ done: 1_000, total: 40_000_000, speed: 1_000, secondsLeft: 40 });
      line.state(end, end);
      assert.equal(bar()?.hidden, end !== 'verified', `${own ? 'sent' : 'received'}, ${end}`);
      dom.byId('messages').children.splice(0);
    }
});

test('screen readers are told a file line’s status words as they change: each change of a file sent to us, ours as it ends and as each recipient moves on; never progress', async () => {
  const heard: string[] = [];
  const received = showFile(false, heard).line;
  // Given as the line is made: said with the line's own announcement (lines.ts), not apart.
  received.state('offered', 'waiting for you to accept');
  await Promise.resolve();
  assert.deepEqual(heard, []);
  received.state('offered', 'waiting for you to accept');
  received.state('transferring', 'starting…');
  received.progress({ done: 1_000, total: 40_000_000, speed: 1_000, secondsLeft: 40 });
  received.state('verified', 'verified');
  assert.deepEqual(heard, ['big.bin: verified']);

  const ours: string[] = [];
  const sent = showFile(true, ours).line;
  sent.state('offered', 'preparing…');
  const bob = (state: SentRecipient['state']): RecipientLabel =>
    recipientLabel({
      id: 'bob',
      name: 'Bob',
      state,
      note: null,
      unreached: null,
      waitsFor: 'click',
      done: 0,
      speed: 0,
    });
  sent.recipients([bob('waiting')]);
  sent.recipients([bob('offered')]);
  sent.recipients([bob('offered')]);
  sent.recipients([bob('verified')]);
  sent.state('verified', '');
  assert.deepEqual(ours, ['big.bin: Bob waiting to accept', 'big.bin: Bob received']);
});

test('a file line whose transfer is over lets go of its actions, and so of the member they hold', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const files = createFilesView(lines, { send: () => {}, say: () => {} });
  const shown: FileLine[] = [];
  const members: Array<WeakRef<object>> = [];
  for (const [n, end] of [
    ['1', 'verified'],
    ['2', 'declined'],
    ['3', 'cancelled'],
  ] as const) {
    // Stands for the member the receiving side's actions close over (its link, its state).
    const member = { id: `bob-${n}`, state: new Array(1_000).fill(n) };
    members.push(new WeakRef(member));
    const info = { id: `f${n}`, from: member.id, own: false, senderName: 'Bob', name: 'a.bin', size: 10, type: '' };
    const line = files.showLine(
      { ...info, nameChanged: false, privateWith: null, privateWithId: null },
      { accept: () => member.state.pop(), decline: () => member.state.pop(), cancel: () => member.state.pop() },
    );
    line.state('transferring', 'starting…');
    line.state(end, end);
    shown.push(line);
  }
  // Let go of the references this function's own frames held, then collect.
  await settle();
  gc();
  gc();
  assert.equal(dom.byId('messages').children.length, 3, 'the lines are still shown');
  assert.equal(shown.length, 3);
  assert.deepEqual(
    members.map((member) => member.deref() === undefined),
    [true, true, true],
    'no member is kept by a line whose transfer is over',
  );
});

test('a file line takes reactions as a message does: handed to the page once shown, its download above them', async () => {
  const shown: Array<{ item: FakeElement; from: string; id: string; privateWithId: string | null }> = [];
  const files = createFilesView(lines, {
    send: () => {},
    say: () => {},
    shown(item, info) {
      shown.push({
        item: item as unknown as FakeElement,
        from: info.from,
        id: info.id,
        privateWithId: info.privateWithId,
      });
      // As the reactions view does (view/reactions.ts attach): its bar goes last.
      const bar = new FakeElement('div');
      bar.className = 'reactions';
      item.append(bar as unknown as HTMLElement);
    },
  });
  const info = { id: 'f2', from: 'bob', own: false, senderName: 'Bob', name: 'notes.txt', size: 5, type: 'text/plain' };
  const line = files.showLine(
    { ...info, nameChanged: false, privateWith: 'Bob', privateWithId: 'bob' },
    { cancel: () => {} },
  );
  await settle();
  assert.deepEqual(
    shown.map(({ from, id, privateWithId }) => [from, id, privateWithId]),
    [['bob', 'f2', 'bob']],
    'a private file: its reactions are between us and its sender',
  );
  const item = shown[0]?.item;
  assert.ok(item);
  line.state('verified', 'verified');
  line.ready(new File(['hello'], 'notes.txt', { type: 'text/plain' }), async () => {});
  const classes = item.children.map((child) => child.className);
  assert.ok(classes.indexOf('file-download') >= 0, 'its download is on the line');
  assert.equal(classes.at(-1), 'reactions', 'the reactions stay last, under the download');
});

test('a file sent before we joined goes among the earlier lines by when it was sent, with that time, and is not announced as new', async () => {
  const said: string[] = [];
  const placed: Array<{ file: { at: number; from: string; id: string }; item: FakeElement }> = [];
  const files = createFilesView(lines, {
    send: () => {},
    say: (text) => said.push(text),
    placeEarlier: (file, item) => placed.push({ file, item: item as unknown as FakeElement }),
  });
  const sentAt = Date.UTC(2026, 0, 2, 9, 30);
  const info = { id: 'f3', from: 'alice', own: false, senderName: 'Alice', name: 'plan.pdf', size: 5, type: '' };
  const line = files.showLine(
    { ...info, nameChanged: false, privateWith: null, privateWithId: null, sharedAt: sentAt },
    { cancel: () => {} },
  );
  line.state('offered', 'waiting for you to accept');
  await settle();
  assert.deepEqual(
    placed.map(({ file }) => file),
    [{ at: sentAt, from: 'alice', id: 'f3' }],
  );
  assert.equal(dom.byId('messages').children.length, 0, 'not at the bottom as a new file');
  const time = placed[0]?.item.children.find((child) => child.tagName === 'time') as { dateTime?: string } | undefined;
  assert.equal(time?.dateTime, new Date(sentAt).toISOString(), 'its time is when it was sent');
  assert.deepEqual(said, [], 'its first words are not said as a new file’s');
  line.state('verified', 'received and checked');
  assert.deepEqual(said, ['plan.pdf: received and checked'], 'how it ends is');
});

test('a file we share: Stop sharing in place of Cancel while nothing is under way, Cancel again for a newcomer’s transfer; the keyboard handed on as each hides; shared no more, the actions let go', async () => {
  // The keyboard as a browser moves it: focus() makes the element the document's active one.
  const page = globalThis.document as unknown as { activeElement: unknown };
  const focus = FakeElement.prototype.focus;
  FakeElement.prototype.focus = function (this: FakeElement) {
    page.activeElement = this;
  };
  try {
    const files = createFilesView(lines, { send: () => {}, say: () => {} });
    const ran: string[] = [];
    const show = (id: string, unshare: boolean) =>
      files.showLine(
        {
          id,
          from: 'me',
          own: true,
          senderName: 'Me',
          name: `${id}.pdf`,
          size: 5,
          type: '',
          nameChanged: false,
          privateWith: null,
          privateWithId: null,
        },
        { cancel: () => ran.push(`cancel ${id}`), ...(unshare ? { unshare: () => ran.push(`unshare ${id}`) } : {}) },
      );
    const line = show('shared', true);
    await settle();
    const item = dom.byId('messages').children.find((child) => child.dataset.fileId === 'shared');
    assert.ok(item);
    const [cancel] = byTestId(item, 'file-cancel');
    const [unshare] = byTestId(item, 'file-unshare');
    assert.ok(cancel && unshare);
    assert.equal(unshare.getAttribute('aria-label'), 'Stop sharing shared.pdf');
    const shown = () => [cancel.hidden ? '' : 'Cancel', unshare.hidden ? '' : 'Stop sharing'].filter(Boolean);

    line.sharing(true);
    line.state('transferring', '');
    assert.deepEqual(shown(), ['Cancel'], 'under way: Cancel');
    cancel.focus();
    line.state('verified', 'shared: it goes to whoever joins');
    assert.deepEqual(shown(), ['Stop sharing'], 'over for everyone, still shared');
    assert.equal(page.activeElement, unshare, 'the keyboard on Cancel goes to Stop sharing');
    // A newcomer's transfer: Cancel is back, and works.
    line.state('transferring', '');
    assert.deepEqual(shown(), ['Cancel']);
    assert.equal(page.activeElement, cancel);
    cancel.dispatch('click');
    line.state('verified', 'shared: it goes to whoever joins');
    unshare.dispatch('click');
    assert.deepEqual(ran, ['cancel shared', 'unshare shared']);
    // The sender lets it go (sending.ts): shared no more.
    line.sharing(false);
    line.state('verified', '');
    assert.deepEqual(shown(), []);
    assert.equal(page.activeElement, item, 'handed to the line, not to the page');
    unshare.dispatch('click');
    cancel.dispatch('click');
    assert.deepEqual(ran, ['cancel shared', 'unshare shared'], 'its actions were let go');

    // A file to one member, never shared: nothing once it is over.
    const only = show('private', false);
    only.sharing(false);
    only.state('verified', '');
    await settle();
    const privateItem = dom.byId('messages').children.find((child) => child.dataset.fileId === 'private');
    assert.ok(privateItem);
    assert.deepEqual(
      byTestId(privateItem, 'file-unshare').map((button) => button.hidden),
      [true],
    );
  } finally {
    FakeElement.prototype.focus = focus;
  }
});

test('a file’s name and its sender’s are shown with each letter’s marks cut, joiners between them or not; the file keeps its name', async () => {
  const marks = '\u0301\u0300\u0302\u0303\u0304\u0306\u0307';
  const stacked = `a${`${marks}\u200D`.repeat(60)} zwj.txt`;
  const files = createFilesView(lines, { send: () => {}, say: () => {} });
  const info = {
    id: 'f1',
    from: 'bob',
    own: false,
    senderName: `Z${marks.repeat(4)}`,
    name: stacked,
    size: 10,
    type: '',
  };
  files.showLine({ ...info, nameChanged: false, privateWith: null, privateWithId: null }, { cancel: () => {} });
  await settle();
  const item = dom.byId('messages').children.find((child) => child.dataset.fileId === 'f1');
  assert.ok(item);
  const drawn = (text: string): number => text.match(/[^\P{M}\p{Default_Ignorable_Code_Point}]/gu)?.length ?? 0;
  const [name] = byTestId(item, 'message-text');
  assert.ok(name);
  assert.equal(drawn(textOf(name)), 8, 'the file’s name');
  assert.ok(textOf(name).endsWith(' zwj.txt'));
  const sender = all(item).find((e) => e.className === 'line-sender');
  assert.ok(sender);
  assert.equal(drawn(textOf(sender)), 8, 'its sender’s name');
});
