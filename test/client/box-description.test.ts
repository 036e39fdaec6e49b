// The message box's description (client/view/box-description.ts): one owner of its
// aria-describedby, so that what it is doing (a reply, an edit), to whom it writes (a private
// conversation) and its keys are all heard on the box, in that order, each part coming and
// going on its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxDescription } from '../../client/view/box-description.ts';
import { FakeElement } from './fake-dom.ts';

test('the parts of the box’s description come and go on their own, in the order a listener needs them', () => {
  const box = new FakeElement('textarea');
  box.setAttribute('aria-describedby', 'composer-keys');
  const described = () => box.getAttribute('aria-describedby');
  const one = boxDescription(box as unknown as HTMLElement);
  assert.equal(boxDescription(box as unknown as HTMLElement), one, 'one description per box');
  one.set('to', 'private-recipient-words');
  assert.equal(described(), 'private-recipient-words composer-keys');
  one.set('doing', 'reply-bar-words');
  assert.equal(described(), 'reply-bar-words private-recipient-words composer-keys');
  // An edit's words say its keys ("Enter saves"): the box's ("Enter sends") are not read too.
  one.set('doing', 'edit-bar-words');
  one.keysSaid(false);
  assert.equal(described(), 'edit-bar-words private-recipient-words');
  one.set('doing', null);
  one.keysSaid(true);
  one.set('to', null);
  assert.equal(described(), 'composer-keys');
});
