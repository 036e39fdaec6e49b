// Whom the member list shows while members fall silent (wiring/status.ts listedAs, by
// view/call-silence.ts silenceOf, as the call's tiles and status): a member silent on its
// link is hidden only once its silence is known to be its own; while it may be our own
// network going (its "not responding" held back, the server being checked, just back from an
// outage) it stays listed, and while we seem offline everyone does, out of our reach.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { MemberView } from '../../client/member-view.ts';
import {
  createOutageWatch,
  createSilenceNotices,
  LINKS_RECOVER_MS,
  SILENT_NOTICE_HOLD_MS,
} from '../../client/outage.ts';
import { silenceOf } from '../../client/view/call-silence.ts';
import { listedAs } from '../../client/wiring/status.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

/** Lets the probe's promise settle and what it starts run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A member as the mesh gives it to the list: heard on its link, or silent there (member-view.ts). */
function member(id: string, heard: boolean): MemberView {
  return {
    id,
    name: id,
    state: heard ? 'connected' : 'reconnecting',
    via: null,
    reason: null,
    verification: 'verified',
    path: null,
    visible: heard,
  };
}

/** The page's member list and the call's word for each member, from the members as they are now. */
function room(members: readonly string[]) {
  const probes: Array<(answered: boolean) => void> = [];
  const watch = createOutageWatch({
    probe: () => new Promise<boolean>((resolve) => probes.push(resolve)),
    changed: () => {},
  });
  const clock = { now: 0 };
  const notices = createSilenceNotices(watch, () => clock.now);
  const silence = silenceOf(watch, notices);
  const heard = new Map(members.map((id) => [id, true]));
  const said: string[] = [];
  /** What the member list shows: "id state" for each member listed. */
  const listed = () =>
    members.flatMap((id) => {
      const shown = listedAs(member(id, heard.get(id) ?? false), silence(id));
      return shown.visible ? [`${id} ${shown.state}`] : [];
    });
  const update = () =>
    watch.update({
      browserOnline: true,
      socketUp: true,
      members: members.map((id) => ({ id, heard: heard.get(id) ?? false })),
    });
  update();
  return {
    watch,
    probes,
    clock,
    said,
    listed,
    silence,
    /** Its link falls silent (`alone`: others heard well after it went quiet: mesh.ts). */
    silent(id: string, alone = false): void {
      heard.set(id, false);
      notices.silent(id, () => said.push(`${id} is not responding`), alone);
      update();
    },
    heardAgain(id: string): void {
      heard.set(id, true);
      notices.back(id, () => said.push(`${id} is back`));
      update();
    },
  };
}

test('our own network going: every member stays listed while that is not known, then out of our reach; back, those still silent stay listed while their links may yet carry', async () => {
  const r = room(['alice', 'bob']);
  // Alice's silence is noticed first: Bob was last heard at about the time she was.
  r.silent('alice');
  assert.deepEqual(r.listed(), ['alice reconnecting', 'bob connected'], 'not hidden as if she had left');
  assert.equal(r.silence('alice'), 'unknown', 'nor "not responding" in the call');
  // Bob's, a moment later: everyone is silent, and the server is checked (up to 4 s).
  r.clock.now = 700;
  r.silent('bob');
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  assert.equal(r.watch.checking(), true);
  assert.deepEqual(r.listed(), ['alice reconnecting', 'bob reconnecting'], 'the list does not empty');
  // The server does not answer: we seem offline, and everyone is out of our reach.
  r.probes[0]?.(false);
  await settle();
  assert.equal(r.watch.offline(), true);
  assert.deepEqual(r.listed(), ['alice unreachable', 'bob unreachable']);
  // The network is back: Bob is heard first, Alice's link takes a while longer.
  r.clock.now = 30_000;
  r.heardAgain('bob');
  assert.equal(r.watch.offline(), false);
  assert.deepEqual(r.listed(), ['alice reconnecting', 'bob connected'], 'not emptied as we come back');
  assert.equal(r.silence('alice'), 'unknown');
  r.clock.now += 1_000;
  mock.timers.tick(1_000);
  r.heardAgain('alice');
  assert.deepEqual(r.listed(), ['alice connected', 'bob connected']);
  assert.deepEqual(r.said, [], 'nobody was "not responding" or "back": it was our network');
});

test('a member whose own silence it is leaves the list with the call’s "not responding": at once when others were heard after it went quiet (a frozen browser), else after the hold', () => {
  const r = room(['alice', 'bob', 'carol']);
  r.silent('carol', true);
  assert.deepEqual(r.listed(), ['alice connected', 'bob connected'], 'as fast as before');
  assert.equal(r.silence('carol'), 'theirs');
  assert.deepEqual(r.said, ['carol is not responding']);
  // Bob's silence noticed while Alice was last heard with him: held, then his own.
  r.silent('bob');
  assert.deepEqual(r.listed(), ['alice connected', 'bob reconnecting']);
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  assert.deepEqual(r.listed(), ['alice connected']);
  assert.equal(r.silence('bob'), 'theirs');
  assert.deepEqual(r.said, ['carol is not responding', 'bob is not responding']);
  // Heard again: listed again.
  r.heardAgain('bob');
  assert.deepEqual(r.listed(), ['alice connected', 'bob connected']);
});

test('just back from our outage, a member still silent when its link could carry again is its own silence: hidden, and said', async () => {
  const r = room(['alice', 'bob']);
  r.silent('alice');
  r.silent('bob');
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  r.probes[0]?.(false);
  await settle();
  r.clock.now = 30_000;
  r.heardAgain('bob');
  mock.timers.tick(LINKS_RECOVER_MS - 1);
  assert.deepEqual(r.listed(), ['alice reconnecting', 'bob connected']);
  mock.timers.tick(1);
  assert.deepEqual(r.listed(), ['bob connected']);
  assert.deepEqual(r.said, ['alice is not responding']);
});
