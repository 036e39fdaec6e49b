// Files offered by a member we ignore (client/ignored.ts): left unanswered at the files
// feature's entry (features/files.ts), with no line and nothing taken or stored; the sender sees
// no answer from us, as from a page whose person has not accepted yet, never a decline (which
// told it, at once, for a file nobody is asked about). The others take them as before, and once
// we stop ignoring, the next offer is ours again. Stand-in pages as files-feature.test.ts's
// (files-pages.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChannelMessage } from '../../protocol/index.ts';
import { fileOf, lineOf, type Page, room, stateOf, turns, until } from './files-pages.ts';

/** What `page` sends the member `id` from now on (its handle's send, watched). */
function sentTo(page: Page, id: string): ChannelMessage[] {
  const member = page.members.get(id);
  assert.ok(member);
  const sent: ChannelMessage[] = [];
  const send = member.send;
  member.send = (message) => {
    sent.push(message);
    return send(message);
  };
  return sent;
}

test('a file offered by a member we ignore is left unanswered, with no line and nothing taken; the others take it; stopped ignoring, the next is offered', async () => {
  const [alice, bob, carol] = room('alice-00001', 'bob-0000001', 'carol-00001') as [Page, Page, Page];
  bob.ignored.add(alice.id);
  const answers = sentTo(bob, alice.id);
  // A small file anyone takes without a click, and one past the limit that would ask.
  bob.acceptLimit = 5_000;
  carol.acceptLimit = 100_000;
  const [small, large] = await alice.files.sendFiles([fileOf(10, 'a'), fileOf(10_000, 'b')]);
  assert.ok(small && large);
  await until(() => stateOf(carol, small) === 'verified' && stateOf(carol, large) === 'verified', 'carol takes both');
  await turns(20);
  for (const id of [small, large]) {
    assert.equal(lineOf(bob, id), undefined, 'no line on the page that ignores alice');
    assert.deepEqual(
      lineOf(alice, id)?.recipients,
      ['bob-0000001 no answer yet', 'carol-00001 ✓ received'],
      'alice sees no answer from bob, not a decline',
    );
  }
  assert.deepEqual(
    answers.filter((message) => message.t.startsWith('file:')),
    [],
    'bob answers nothing: no decline, no accept, no ask',
  );
  for (const id of [small, large])
    assert.equal(alice.channelsMade.filter((label) => label === `file:${id}`).length, 1, 'one channel: carol’s');

  bob.ignored.delete(alice.id);
  const [next] = await alice.files.sendFiles([fileOf(1000, 'c')]);
  assert.ok(next);
  await until(() => stateOf(bob, next) === 'verified', 'bob takes the next');
});
