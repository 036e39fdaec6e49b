// The room's talking clock that file transfers ask before they fill the links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConversation, TALKING_FOR_MS } from '../../client/conversation.ts';

test('the room is talking for TALKING_FOR_MS after each line or keystroke, and not before the first', () => {
  let now = 10_000;
  const conversation = createConversation(
    () => false,
    () => now,
  );
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

test('a line from a member we ignore does not make the room talk; ours and the others do', () => {
  let now = 10_000;
  const ignoring = new Set(['mallory-id']);
  const conversation = createConversation(
    (peerId) => ignoring.has(peerId),
    () => now,
  );
  conversation.spoke('mallory-id');
  assert.equal(conversation.talking(), false, 'we do not see its lines: nothing to make room for');
  conversation.spoke('bob-id');
  assert.equal(conversation.talking(), true);
  now += TALKING_FOR_MS + 1;
  conversation.spoke();
  assert.equal(conversation.talking(), true, 'our own keystroke or line');
  now += TALKING_FOR_MS + 1;
  ignoring.delete('mallory-id');
  conversation.spoke('mallory-id');
  assert.equal(conversation.talking(), true, 'no longer ignored: heard again');
});
