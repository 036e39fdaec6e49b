// What the call status says (view/calls.ts): who is in the call, and, while we are in it, who
// cannot join us because only chat reaches them, through another member (relay.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callStatusText } from '../../client/view/calls.ts';

test('out of a call: whether one runs, and with whom', () => {
  assert.equal(callStatusText(false, false, [], []), 'No call running.');
  assert.equal(callStatusText(false, false, ['bob'], []), 'In the call: bob. Join with one click.');
  assert.equal(callStatusText(true, true, [], []), 'Joining: opening your camera and microphone…');
});

test('in a call, a member reached only through another member is said to be out of its reach, not left unsaid', () => {
  assert.equal(callStatusText(true, false, [], []), 'You are in the call. Nobody else yet.');
  assert.equal(
    callStatusText(true, false, [], [{ name: 'bob', via: 'carol' }]),
    'You are in the call. Nobody else yet. bob cannot join you: reached only through carol, and calls need a direct link or TURN.',
  );
  assert.equal(
    callStatusText(
      true,
      false,
      ['carol'],
      [
        { name: 'bob', via: 'carol' },
        { name: 'dana', via: 'erin' },
      ],
    ),
    'In the call with carol. bob, dana cannot join you: reached only through other members, and calls need a direct link or TURN.',
  );
});
