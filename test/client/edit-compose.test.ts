// Editing one of our lines in the message box (client/view/edit-compose.ts), on a stand-in DOM
// (fake-dom.ts): the box takes the line's text, Send says Save while it does, and what was
// being written comes back once the edit is over; the line being edited is marked in the list
// (line-edits.ts `editing`).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createEditCompose } from '../../client/view/edit-compose.ts';
import { createLineEdits } from '../../client/view/line-edits.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom([]);
});
afterEach(() => dom.restore());

function composer(editing: (id: string | null) => void = () => {}, said: string[] = []) {
  const form = new FakeElement('form');
  const box = Object.assign(new FakeElement('textarea'), { value: 'a draft', setSelectionRange() {} });
  box.setAttribute('aria-describedby', 'composer-keys');
  const send = new FakeElement('button');
  send.textContent = 'Send';
  form.append(box, send);
  const edit = createEditCompose(
    form as unknown as HTMLElement,
    box as unknown as HTMLTextAreaElement,
    send as unknown as HTMLElement,
    () => {},
    (text) => said.push(text.replace(/[\u2068\u2069]/g, '')),
    editing,
  );
  return { form, box, send, edit };
}

test('while a line is edited, Send says Save (as the bar says "Enter saves"), and Send again after', () => {
  const { box, send, edit } = composer();
  edit.start({ id: 'line-1', text: 'helo', privateWith: null });
  assert.equal(box.value, 'helo');
  assert.equal(send.textContent, 'Save', 'it saves the edit: "Send" read as sending a new line');
  edit.end();
  assert.equal(send.textContent, 'Send');
  assert.equal(box.value, 'a draft', 'the draft is back');
});

test('a cancelled edit (Escape in the box) gives Send its word back too', () => {
  const { box, send, edit } = composer();
  edit.start({ id: 'line-1', text: 'helo', privateWith: null });
  box.dispatch('keydown', { key: 'Escape', defaultPrevented: false, preventDefault() {} });
  assert.equal(edit.current(), null);
  assert.equal(send.textContent, 'Send');
});

/** One of our lines, by `from`, shown in `list` with its edit buttons (line-edits.ts). */
function ownItem(list: FakeElement, lineEdits: ReturnType<typeof createLineEdits>, id: string, from: string) {
  const item = new FakeElement('li');
  const text = new FakeElement('span');
  text.dataset['testid'] = 'message-text';
  item.append(text);
  list.append(item);
  const line: ChatLine = { kind: 'chat', id, from, ts: 0, text: id, own: true };
  lineEdits.shown(item as unknown as HTMLElement, line);
  return item;
}

test('the line being edited is marked in the list while the box holds it, and only that one', () => {
  const list = new FakeElement('ol');
  const lineEdits = createLineEdits(list as unknown as HTMLElement, {
    edit() {},
    remove: async () => {},
    whenDropped() {},
    selfId: () => 'me',
  });
  const ownLine = (id: string): FakeElement => ownItem(list, lineEdits, id, 'me');
  const first = ownLine('line-1');
  const second = ownLine('line-2');
  const { edit } = composer((id) => lineEdits.editing(id));
  const marked = () => [first, second].map((item) => item.classList.contains('line-editing'));

  edit.start({ id: 'line-1', text: 'line-1', privateWith: null });
  assert.deepEqual(marked(), [true, false]);
  // ↑ or E on another line while editing: that one is the line now.
  edit.start({ id: 'line-2', text: 'line-2', privateWith: null });
  assert.deepEqual(marked(), [false, true]);
  edit.end();
  assert.deepEqual(marked(), [false, false], 'saved or cancelled: no line marked');
});

test('the edit bar says where the edit goes, and the keys of this device: Enter on a keyboard, Save on a phone', (t) => {
  const { form, edit } = composer();
  // The bar's words: text and the <bdi> of a name, each a child in the stand-in page.
  const words = () =>
    (form.querySelector('.reply-bar-words')?.children ?? []).map((child) => child.textContent).join('');
  edit.start({ id: 'line-1', text: 'helo', privateWith: null });
  assert.equal(words(), 'Editing your message to everyone · Enter saves, Escape cancels');
  edit.start({ id: 'line-2', text: 'psst', privateWith: 'dave-id', toName: 'Dave' });
  assert.equal(words(), 'Editing your message privately to Dave · Enter saves, Escape cancels');
  // Whole on hover, where a narrow screen cuts it short: the name without its isolation marks.
  assert.equal(
    (form.querySelector('.reply-bar-words') as unknown as { title: string }).title,
    'Editing your message privately to Dave · Enter saves, Escape cancels',
  );
  edit.end();
  // A phone: Enter is a new line there (composer-send.ts).
  Object.assign(globalThis, { matchMedia: (query: string) => ({ matches: query.includes('pointer: coarse') }) });
  t.after(() => Reflect.deleteProperty(globalThis, 'matchMedia'));
  edit.start({ id: 'line-1', text: 'helo', privateWith: null });
  assert.equal(words(), 'Editing your message to everyone · Save keeps the change, ✕ cancels');
});

test('a screen reader on the box hears the edit bar’s words and not the box’s own keys, nor the ✕’s label; ↑ and the ✕ are said', () => {
  const said: string[] = [];
  const { form, box, edit } = composer(() => {}, said);
  edit.start({ id: 'line-1', text: 'helo', privateWith: null });
  // Started from the Edit button, the keyboard moves to the box, and its description is read.
  assert.deepEqual(said, []);
  // The words alone ("Cancel editing" was read with them), and "Enter sends" contradicted "Enter saves".
  assert.equal(box.getAttribute('aria-describedby'), 'edit-bar-words');
  assert.equal(form.querySelector('.reply-bar-words')?.id, 'edit-bar-words');
  form.querySelector('[data-testid=edit-cancel]')?.dispatch('click');
  assert.equal(box.getAttribute('aria-describedby'), 'composer-keys');
  assert.deepEqual(said, ['Edit cancelled'], 'the ✕ said nothing; Escape did');
  // ↑ in the box: the keyboard stays there, and nothing was read.
  Object.assign(globalThis.document, { activeElement: box });
  edit.start({ id: 'line-1', text: 'helo', privateWith: 'dave-id', toName: 'Dave' });
  assert.equal(said.at(-1), 'Editing your message privately to Dave · Enter saves, Escape cancels');
});

test('our lines under the id the server gave us before a restart without its secret lose Edit and Delete (they could not be saved); those under our id now keep them', () => {
  const list = new FakeElement('ol');
  let self = 'me-before';
  const edited: string[] = [];
  const lineEdits = createLineEdits(list as unknown as HTMLElement, {
    edit: (id) => edited.push(id),
    remove: async () => {},
    whenDropped() {},
    selfId: () => self,
  });
  const ownLine = (id: string): FakeElement => ownItem(list, lineEdits, id, self);
  const before = ownLine('line-1');
  assert.ok(before.querySelector('[data-testid=edit]') && before.querySelector('[data-testid=delete]'));
  self = 'me-after';
  lineEdits.selfChanged();
  assert.equal(before.querySelector('[data-testid=edit]'), null, 'no Edit that does nothing');
  assert.equal(before.querySelector('[data-testid=delete]'), null, 'no Delete that does nothing');
  const after = ownLine('line-2');
  assert.ok(after.querySelector('[data-testid=edit]') && after.querySelector('[data-testid=delete]'));
  // A line of ours shown now under the old id (a copy that came late) gets none either.
  self = 'me-after';
  const late = ownItem(list, lineEdits, 'line-3', 'me-before');
  assert.equal(late.querySelector('[data-testid=edit]'), null);
  after.querySelector('[data-testid=edit]')?.dispatch('click');
  assert.deepEqual(edited, ['line-2']);
});
