// The room's talking clock that file transfers ask before they fill the links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConversation, TALKING_FOR_MS } from '../../client/conversation.ts';

test('the room is talking for TALKING_FOR_MS after each line or keystroke, and not before the first', () => {
  let now = 10_000;
  const conversation = createConversation(() => now);
  assert.equal(conversation.talking(), false, 'nobody has said anything yet');
  conversation.spoke();
  assert.equal(conversation.talking(), true);
  now += TALKING_FOR_MS;
  assert.equal(conversation.talking(), true, 'still within the window');
  now += 1;
  assert.equal(conversation.talking(), false, 'quiet again');
  conversation.spoke();
  now += TALKING_FOR_MS - 1;
  conversation.spoke();
  now += TALKING_FOR_MS - 1;
  assert.equal(conversation.talking(), true, 'each line starts the window again');
});
