// What the member list is given of a member (client/member-view.ts): a member silent on its
// own link is hidden, unless a relay reaches it, which is how the chat with it goes on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MemberViewParts, memberView } from '../../client/member-view.ts';

/** A member's parts as the view reads them: its link silent or not, a relay in use or not. */
function parts(silent: boolean, relayed: boolean): MemberViewParts {
  return {
    id: 'bob-00000001',
    name: 'Bob',
    direct: { state: 'connected', problem: null, path: null },
    proof: { failed: false, verification: 'verified' },
    announced: { check: 'verified' },
    hold: { why: null, muted: false, shut: false },
    presence: { visible: !silent },
    route: { inUse: relayed ? { relayId: 'carol-000001', relayName: 'Carol', rttMs: 12 } : null },
  } as unknown as MemberViewParts;
}

test('a member silent on its link is hidden; reached through a relay it is shown, via that member', () => {
  assert.equal(memberView(parts(false, false)).visible, true);
  assert.equal(memberView(parts(true, false)).visible, false, 'not heard, and no way to it');
  const relayed = memberView(parts(true, true));
  assert.equal(relayed.visible, true, 'the chat with it goes on through Carol');
  assert.equal(relayed.state, 'relayed');
  assert.equal(relayed.via?.name, 'Carol');
});
