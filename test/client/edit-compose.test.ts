// Editing one of our lines in the message box (client/view/edit-compose.ts), on a stand-in DOM
// (fake-dom.ts): the box takes the line's text, Send says Save while it does, and what was
// being written comes back once the edit is over.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createEditCompose } from '../../client/view/edit-compose.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom([]);
});
afterEach(() => dom.restore());

function composer() {
  const form = new FakeElement('form');
  const box = Object.assign(new FakeElement('textarea'), { value: 'a draft', setSelectionRange() {} });
  const send = new FakeElement('button');
  send.textContent = 'Send';
  form.append(box, send);
  const edit = createEditCompose(
    form as unknown as HTMLElement,
    box as unknown as HTMLTextAreaElement,
    send as unknown as HTMLElement,
    () => {},
    () => {},
  );
  return { box, send, edit };
}

test('while a line is edited, Send says Save (as the bar says "Enter saves"), and Send again after', () => {
  const { box, send, edit } = composer();
  edit.start({ id: 'line-1', text: 'helo' });
  assert.equal(box.value, 'helo');
  assert.equal(send.textContent, 'Save', 'it saves the edit: "Send" read as sending a new line');
  edit.end();
  assert.equal(send.textContent, 'Send');
  assert.equal(box.value, 'a draft', 'the draft is back');
});

test('a cancelled edit (Escape in the box) gives Send its word back too', () => {
  const { box, send, edit } = composer();
  edit.start({ id: 'line-1', text: 'helo' });
  box.dispatch('keydown', { key: 'Escape', defaultPrevented: false, preventDefault() {} });
  assert.equal(edit.current(), null);
  assert.equal(send.textContent, 'Send');
});
