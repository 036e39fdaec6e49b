// What the call status says (view/calls.ts): who is in the call, and, while we are in it, who
// cannot join us because only chat reaches them, through another member (relay.ts); and how
// a tile words a member we do not hear, by its silence or by our own outage (outage.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WHILE_OFFLINE } from '../../client/member-problems.ts';
import { callStatusText, tileStateText, unheardWords } from '../../client/view/calls.ts';

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

test('a member we do not hear is "not responding"; while we seem offline, out of our reach in the member list’s words, never "not responding"', () => {
  const state = { inCall: true, audio: true, video: true, screen: false };
  const silent = { state, relayed: false, heard: false };
  assert.equal(tileStateText({ ...silent, offline: false }), 'not responding');
  assert.equal(tileStateText({ ...silent, offline: true }), WHILE_OFFLINE.text);
  assert.equal(tileStateText({ ...silent, offline: true }), 'out of reach while you’re offline');
  // Heard, it is said neither way, offline or not (a member still heard is no outage's).
  assert.equal(tileStateText({ ...silent, heard: true, offline: true }), '');
  assert.equal(
    tileStateText({ state: { ...state, audio: false, video: false }, relayed: true, heard: false, offline: true }),
    'out of reach while you’re offline · muted · camera off · relayed',
  );
  assert.equal(unheardWords(false), 'not responding');
  assert.equal(unheardWords(true), WHILE_OFFLINE.text);
});
