// Each member's name by its peer id, as it is now (client/member-names.ts): ours, one here, one
// gone as it left, and 'Someone' for one this page never had; a member back is named as it is
// here again, and the names of members gone are bounded as the lines kept are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemberNames } from '../../client/member-names.ts';
import type { Mesh } from '../../client/mesh.ts';
import { MAX_LINES } from '../../client/view/lines-kept.ts';

function names() {
  const here = new Map<string, { name: string }>();
  const memberNames = createMemberNames({
    selfId: () => 'me-00000001',
    selfName: () => 'alice',
    // Only a member's name is asked of it.
    mesh: { member: (peerId: string) => here.get(peerId) } as unknown as Pick<Mesh, 'member'>,
  });
  return { here, memberNames };
}

test('a member is named as it is now: ours, one here, one gone as it left; one never had is "Someone"', () => {
  const { here, memberNames } = names();
  here.set('bob-00000001', { name: 'robert' });
  assert.equal(memberNames.nameNow('me-00000001'), 'alice');
  assert.equal(memberNames.nameNow('bob-00000001'), 'robert');
  assert.equal(memberNames.nameNow('dee-00000001'), null);
  assert.equal(memberNames.nameOf('dee-00000001'), 'Someone');
  // Robert leaves; Carol's kept private lines name her as she was (a reload).
  here.delete('bob-00000001');
  memberNames.left('bob-00000001', 'robert');
  memberNames.left('carol-000001', 'carol');
  assert.equal(memberNames.nameOf('bob-00000001'), 'robert');
  assert.equal(memberNames.nameOf('carol-000001'), 'carol');
  // Back under his id as "bob 2": named as he is here, no longer as he left.
  here.set('bob-00000001', { name: 'bob 2' });
  memberNames.here('bob-00000001');
  assert.equal(memberNames.nameOf('bob-00000001'), 'bob 2');
});

test('the names of members gone are kept for as many as the page keeps lines, the newest', () => {
  const { memberNames } = names();
  for (let n = 0; n <= MAX_LINES; n++) memberNames.left(`gone-${n}`, `member ${n}`);
  assert.equal(memberNames.nameNow('gone-0'), null);
  assert.equal(memberNames.nameNow('gone-1'), 'member 1');
  assert.equal(memberNames.nameNow(`gone-${MAX_LINES}`), `member ${MAX_LINES}`);
});
