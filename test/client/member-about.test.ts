// memberAbout (client/view/member-about.ts): what a screen reader hears of a focused member
// entry — the name and the member's state in words in its name, what those words mean in
// its description — instead of the name, an image and the ✉ button's label in turn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MemberParts, memberAbout } from '../../client/view/member-about.ts';

const VERIFIED = 'Proved it holds this room’s key: nobody sits in the middle';
const bob: MemberParts = {
  name: 'Bob',
  verified: '',
  state: 'connecting…',
  path: '',
  doing: [],
  note: '',
  reason: ['', ''],
  privately: false,
};

test('a member is named with its state in words; nothing to describe while nothing is proved', () => {
  assert.deepEqual(memberAbout(bob), { name: 'Bob: connecting…', description: '' });
  // Our own entry: only its text ("Alice (you)").
  assert.deepEqual(memberAbout({ ...bob, name: 'Alice (you)', state: '' }), { name: 'Alice (you)', description: '' });
});

test('verified and linked: the ✓ as a word, the path, and what verified means', () => {
  const about = memberAbout({ ...bob, verified: VERIFIED, state: 'connected', path: 'direct · 3 ms' });
  assert.equal(about.name, 'Bob: verified, connected, direct · 3 ms');
  assert.equal(about.description, `Verified: ${VERIFIED}`);
});

test('in the call and typing, after its link', () => {
  const about = memberAbout({ ...bob, state: 'connected', path: 'direct · 3 ms', doing: ['in call', 'typing…'] });
  assert.equal(about.name, 'Bob: connected, direct · 3 ms, in call, typing…');
});

test('an ignored member says so after what it does, and what that means', () => {
  const about = memberAbout({ ...bob, state: 'connected', doing: ['in call'], ignored: true });
  assert.equal(about.name, 'Bob: connected, in call, ignored');
  assert.match(about.description, /collapsed on this page; they are not told/);
});

test('unreachable with its reason; a warning about the link says what it means', () => {
  assert.equal(
    memberAbout({ ...bob, state: 'unreachable', reason: ['no direct link and no relay', ''] }).name,
    'Bob: unreachable, no direct link and no relay',
  );
  const warned = memberAbout({
    ...bob,
    state: 'connected',
    reason: ['warning: room key proof failed', 'Someone may be relaying it.'],
  });
  assert.equal(warned.name, 'Bob: connected, warning: room key proof failed');
  assert.equal(warned.description, 'Someone may be relaying it.');
});

test('reached through another member: "via Carol" said once, with what does not go that way', () => {
  const about = memberAbout({
    ...bob,
    state: 'no direct link',
    path: 'via Carol · 12 ms',
    note: 'files and calls need a direct link or TURN',
  });
  assert.equal(about.name, 'Bob: no direct link, via Carol · 12 ms, files and calls need a direct link or TURN');
  // A state that the path starts with is said once.
  assert.equal(memberAbout({ ...bob, state: 'via Carol', path: 'via Carol · 12 ms' }).name, 'Bob: via Carol · 12 ms');
});

test('the member our private lines go to is described so', () => {
  const about = memberAbout({ ...bob, verified: VERIFIED, state: 'connected', privately: true });
  assert.equal(about.description, `Your messages go to this member alone. Verified: ${VERIFIED}`);
});
