// Our own outage, told from the members' (outage.ts): we seem offline when the browser says
// so and the server is out of reach too, or when every member we heard is silent and the server cannot be reached either (the
// socket is down, or a check of it fails); a member alone going quiet, or all of them while
// the server answers, is theirs. The chat's "not responding" waits for that verdict.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import {
  createOutageWatch,
  createSilenceNotices,
  LINKS_OUTLIVE_MS,
  LINKS_RECOVER_MS,
  type OutageFacts,
  PROBE_AGAIN_MS,
  SILENCE_SAID_EVERY_MS,
  SILENT_NOTICE_HOLD_MS,
} from '../../client/outage.ts';
import { silenceOf } from '../../client/view/call-silence.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

/** Lets the probe's promise settle and what it starts run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function harness() {
  const verdicts: boolean[] = [];
  const probes: Array<(answered: boolean) => void> = [];
  const watch = createOutageWatch({
    probe: () => new Promise<boolean>((resolve) => probes.push(resolve)),
    changed: (offline) => verdicts.push(offline),
  });
  const facts = (members: Record<string, boolean>, more: Partial<OutageFacts> = {}): OutageFacts => ({
    browserOnline: true,
    socketUp: true,
    members: Object.entries(members).map(([id, heard]) => ({ id, heard })),
    ...more,
  });
  return { watch, verdicts, probes, facts };
}

/**
 * Bob and Carol go quiet at once and the server does not answer: our outage (checked); then
 * the network is back and both are heard again. Nothing is said of either.
 */
async function outageOfOurs(
  h: ReturnType<typeof harness>,
  notices: ReturnType<typeof createSilenceNotices>,
  said: string[],
  backAt: () => void = () => {},
): Promise<void> {
  notices.silent('bob', () => said.push('bob silent'));
  notices.silent('carol', () => said.push('carol silent'));
  h.watch.update(h.facts({ bob: false, carol: false }));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  h.probes.at(-1)?.(false);
  await settle();
  assert.equal(h.watch.offline(), true);
  backAt();
  h.watch.update(h.facts({ bob: true, carol: true }));
  assert.equal(h.watch.offline(), false);
  notices.back('bob', () => said.push('bob back'));
  notices.back('carol', () => said.push('carol back'));
}

test('the browser saying it is offline is enough once a check finds the server out of reach too, and online again ends it', async () => {
  const h = harness();
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  assert.equal(h.probes.length, 1, 'the server is checked at once');
  h.probes[0]?.(false);
  await settle();
  assert.equal(h.watch.offline(), true);
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  assert.equal(h.probes.length, 1, 'checked once while the browser says so');
  h.watch.update(h.facts({ bob: true }));
  assert.deepEqual(h.verdicts, [true, false]);
});

test('the browser saying it is offline, but a member still heard after its link would have gone silent: not an outage; one falling silent then is', async () => {
  const h = harness();
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  h.probes[0]?.(false);
  await settle();
  assert.equal(h.watch.offline(), true, 'at once, on the browser’s word');
  mock.timers.tick(LINKS_OUTLIVE_MS - 1);
  assert.equal(h.watch.offline(), true);
  mock.timers.tick(1);
  assert.equal(h.watch.offline(), false, 'Bob’s link carries: our lines reach him');
  h.watch.update(h.facts({ bob: false }, { browserOnline: false }));
  assert.equal(h.watch.offline(), true, 'nobody heard, the browser offline, the server out of reach');
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  assert.equal(h.watch.offline(), false, 'back as soon as he is heard again');
  assert.deepEqual(h.verdicts, [true, false, true, false]);
});

test('the browser saying it is offline while the server answers (on this machine, over loopback) is not an outage', async () => {
  const h = harness();
  // The page opened with no network but loopback: the socket joins, a member is heard.
  h.watch.update(h.facts({}, { browserOnline: false, socketUp: false }));
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  // The check made when it said so answers too, late: nothing changes.
  h.probes[0]?.(true);
  await settle();
  assert.equal(h.watch.offline(), false);
  // Said while the socket was already up: the check answers.
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  assert.equal(h.probes.length, 2);
  h.probes[1]?.(true);
  await settle();
  assert.equal(h.watch.offline(), false);
  assert.deepEqual(h.verdicts, []);
  // A check that came back from an earlier time the browser said so counts for nothing now.
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: true }, { browserOnline: false }));
  h.probes[2]?.(false);
  await settle();
  assert.equal(h.watch.offline(), false);
  h.probes[3]?.(false);
  await settle();
  assert.deepEqual(h.verdicts, [true]);
});

test('every member silent at once and the server not answering: offline, until a member is heard again', async () => {
  const h = harness();
  h.watch.update(h.facts({ bob: true, carol: true }));
  h.watch.update(h.facts({ bob: false, carol: true }));
  assert.equal(h.probes.length, 0, 'one member quiet: its own business');
  h.watch.update(h.facts({ bob: false, carol: false }));
  assert.equal(h.probes.length, 1, 'all quiet, the socket still up: the server is checked');
  assert.equal(h.watch.checking(), true);
  h.probes[0]?.(false);
  await settle();
  assert.equal(h.watch.offline(), true);
  mock.timers.tick(PROBE_AGAIN_MS);
  assert.equal(h.probes.length, 2, 'checked again while it seems so');
  h.watch.update(h.facts({ bob: true, carol: false }));
  assert.deepEqual(h.verdicts, [true, false]);
});

test('every member silent while the server answers: they are, we are not', async () => {
  const h = harness();
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: false }));
  h.probes[0]?.(true);
  await settle();
  assert.equal(h.watch.offline(), false);
  assert.deepEqual(h.verdicts, []);
  h.watch.update(h.facts({ bob: false }));
  mock.timers.tick(PROBE_AGAIN_MS);
  assert.equal(h.probes.length, 1, 'checked once for this silence');
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: false }));
  assert.equal(h.probes.length, 2, 'a new silence, a new check');
});

test('every member silent and the socket down: offline without a check', () => {
  const h = harness();
  h.watch.update(h.facts({ bob: true }));
  h.watch.update(h.facts({ bob: false }, { socketUp: false }));
  assert.equal(h.watch.offline(), true);
  assert.equal(h.probes.length, 0);
});

test('members never heard (never linked) say nothing about our network', () => {
  const h = harness();
  h.watch.update(h.facts({ bob: false }, { socketUp: false }));
  assert.equal(h.watch.offline(), false);
});

test('"not responding" is said after a short hold when it is the member’s silence, not when it was ours', async () => {
  const h = harness();
  const notices = createSilenceNotices(h.watch, () => 0);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  // Bob alone goes quiet: said once the hold is over.
  notices.silent('bob', () => said.push('bob silent'));
  h.watch.update(h.facts({ bob: false, carol: true }));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  assert.deepEqual(said, ['bob silent']);
  notices.back('bob', () => said.push('bob back'));
  h.watch.update(h.facts({ bob: true, carol: true }));
  // Both go quiet at once and the server does not answer: neither is said, nor their return.
  await outageOfOurs(h, notices, said);
  // A blip shorter than the hold: neither said.
  notices.silent('carol', () => said.push('carol silent'));
  notices.back('carol', () => said.push('carol back'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  assert.deepEqual(said, ['bob silent', 'bob back']);
});

test('a member whose link keeps dropping: its "not responding" and "is back" are said once a minute at most', () => {
  const h = harness();
  const clock = { now: 0 };
  const notices = createSilenceNotices(h.watch, () => clock.now);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  const flap = () => {
    notices.silent('bob', () => said.push(`silent at ${clock.now}`));
    mock.timers.tick(SILENT_NOTICE_HOLD_MS);
    clock.now += 5_000;
    notices.back('bob', () => said.push(`back at ${clock.now}`));
    clock.now += 10_000;
  };
  for (let i = 0; i < 4; i++) flap(); // at 0, 15, 30 and 45 s
  assert.deepEqual(said, ['silent at 0', 'back at 5000'], 'the first pair only, within the minute');
  clock.now = SILENCE_SAID_EVERY_MS;
  flap();
  assert.deepEqual(said.slice(2), [`silent at ${SILENCE_SAID_EVERY_MS}`, `back at ${SILENCE_SAID_EVERY_MS + 5_000}`]);
});

test('a "not responding" held back for the minute is said once it is over, if the member is silent still', () => {
  const h = harness();
  const clock = { now: 0 };
  const notices = createSilenceNotices(h.watch, () => clock.now);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  notices.silent('bob', () => said.push('silent'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  clock.now = 5_000;
  notices.back('bob', () => said.push('back'));
  clock.now = 10_000;
  notices.silent('bob', () => said.push('silent'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  clock.now = 12_000;
  assert.deepEqual(said, ['silent', 'back'], 'too soon: held');
  mock.timers.tick(SILENCE_SAID_EVERY_MS - 10_000 - 1);
  assert.deepEqual(said, ['silent', 'back'], 'not yet');
  mock.timers.tick(1);
  clock.now = SILENCE_SAID_EVERY_MS;
  assert.deepEqual(said, ['silent', 'back', 'silent'], 'the chat’s last word is not "is back" while he is silent');
  notices.back('bob', () => said.push('back'));
  assert.deepEqual(said, ['silent', 'back', 'silent', 'back']);
});

test('just back from an outage of ours, a member silent is given until its link could carry again before "not responding"', async () => {
  const h = harness();
  const clock = { now: 0 };
  const notices = createSilenceNotices(h.watch, () => clock.now);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  // Our outage, and the network back at 30 s.
  await outageOfOurs(h, notices, said, () => {
    clock.now = 30_000;
  });
  // Their links stutter as they come back (a burst, then a gap): silent again, at once.
  clock.now = 31_000;
  notices.silent('bob', () => said.push('bob silent'));
  notices.silent('carol', () => said.push('carol silent'));
  h.watch.update(h.facts({ bob: false, carol: true }));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  clock.now += SILENT_NOTICE_HOLD_MS;
  assert.equal(said.length, 0, 'not at the usual hold');
  // Carol's link carries again within the time: nothing said of her, ever.
  notices.back('carol', () => said.push('carol back'));
  // Bob's does not: said once the time is over.
  mock.timers.tick(LINKS_RECOVER_MS - 1_000 - SILENT_NOTICE_HOLD_MS - 1);
  assert.equal(said.length, 0);
  mock.timers.tick(1);
  assert.deepEqual(said, ['bob silent']);
  // Long after, the usual hold again.
  clock.now = 100_000;
  notices.silent('carol', () => said.push('carol silent'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  assert.deepEqual(said, ['bob silent', 'carol silent']);
});

test('back from an outage of ours, a member silent since is given until its link could carry again: not "not responding" at once; said if it does not carry by then', async () => {
  const h = harness();
  const clock = { now: 0 };
  const notices = createSilenceNotices(h.watch, () => clock.now);
  let decided = 0;
  notices.afterHold(() => decided++);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true, dave: true }));
  for (const id of ['bob', 'carol', 'dave']) notices.silent(id, () => said.push(`${id} silent`));
  h.watch.update(h.facts({ bob: false, carol: false, dave: false }));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  h.probes.at(-1)?.(false);
  await settle();
  assert.equal(h.watch.offline(), true);
  assert.equal(decided, 3, 'each hold decided (ours): the page draws them as out of its reach');
  // The network is back at 30 s: Carol's link carries first (her "is back" unsaid, as the
  // silence was ours); Bob's and Dave's take a while.
  clock.now = 30_000;
  notices.back('carol', () => said.push('carol back'));
  h.watch.update(h.facts({ bob: false, carol: true, dave: false }));
  assert.equal(h.watch.offline(), false);
  assert.equal(notices.holding('bob'), true, 'not known yet whose silence it is: not "not responding", not hidden');
  assert.equal(silenceOf(h.watch, notices)('bob'), 'unknown');
  mock.timers.tick(LINKS_RECOVER_MS - 1);
  clock.now += LINKS_RECOVER_MS - 1;
  // Dave's link carries again within the time: nothing said of him, ever.
  notices.back('dave', () => said.push('dave back'));
  assert.deepEqual(said, []);
  mock.timers.tick(1);
  clock.now += 1;
  assert.deepEqual(said, ['bob silent'], 'Bob’s does not: his own silence now');
  assert.equal(silenceOf(h.watch, notices)('bob'), 'theirs');
  assert.equal(decided, 4);
});

test('when our outage ends, the members still silent are held before the page is told: what it draws then does not call them "not responding"', async () => {
  const probes: Array<(answered: boolean) => void> = [];
  const told: string[] = [];
  const watch = createOutageWatch({
    probe: () => new Promise<boolean>((resolve) => probes.push(resolve)),
    changed: (offline) => told.push(`${offline ? 'offline' : 'back'}: bob ${silence('bob')}`),
  });
  const notices = createSilenceNotices(watch, () => 0);
  const silence = silenceOf(watch, notices);
  const facts = (bob: boolean, carol: boolean) => ({
    browserOnline: true,
    socketUp: true,
    members: [
      { id: 'bob', heard: bob },
      { id: 'carol', heard: carol },
    ],
  });
  watch.update(facts(true, true));
  notices.silent('bob', () => {});
  notices.silent('carol', () => {});
  watch.update(facts(false, false));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  probes[0]?.(false);
  await settle();
  assert.equal(notices.holding('bob'), false, 'decided: ours');
  notices.back('carol', () => {});
  watch.update(facts(false, true));
  assert.deepEqual(told, ['offline: bob ours', 'back: bob unknown']);
});

test('a member silent alone (others heard well after it went quiet) is said "not responding" without the hold; just back from an outage of ours, it waits all the same', async () => {
  const h = harness();
  const clock = { now: 100_000 };
  const notices = createSilenceNotices(h.watch, () => clock.now);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  notices.silent('bob', () => said.push('bob silent'), true);
  assert.deepEqual(said, ['bob silent'], 'not our network: said at once');
  assert.equal(notices.holding('bob'), false);
  assert.equal(silenceOf(h.watch, notices)('bob'), 'theirs');
  notices.back('bob', () => said.push('bob back'));
  // Our outage, and the network back at 200 s.
  await outageOfOurs(h, notices, said, () => {
    clock.now = 200_000;
  });
  clock.now = 201_000;
  notices.silent('carol', () => said.push('carol silent'), true);
  assert.equal(
    notices.holding('carol'),
    true,
    'links carry again only after a while: the others heard say nothing yet',
  );
  mock.timers.tick(LINKS_RECOVER_MS - 1_000);
  assert.deepEqual(said, ['bob silent', 'bob back', 'carol silent']);
});

test('a silent member reached through another: said "back, through" once "not responding" was said, nothing while it was held, and its link’s return is not said again', () => {
  const h = harness();
  const notices = createSilenceNotices(h.watch, () => 0);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  // Said silent, then a relay carries bob: the chat's last word of him is that he is back.
  notices.silent('bob', () => said.push('bob silent'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  notices.reached('bob', () => said.push('bob through dave'));
  notices.reached('bob', () => said.push('bob through erin')); // another relay: said once is enough
  notices.back('bob', () => said.push('bob back'));
  // Carol is reached through a relay before her silence was said: nothing at all.
  notices.silent('carol', () => said.push('carol silent'));
  notices.reached('carol', () => said.push('carol through dave'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  notices.back('carol', () => said.push('carol back'));
  assert.deepEqual(said, ['bob silent', 'bob through dave']);
});

test('a "not responding" waiting out the minute is not said once its member is heard through a relay', () => {
  const h = harness();
  const clock = { now: 0 };
  const notices = createSilenceNotices(h.watch, () => clock.now);
  const said: string[] = [];
  h.watch.update(h.facts({ bob: true, carol: true }));
  notices.silent('bob', () => said.push('bob silent'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  clock.now = 5_000;
  notices.back('bob', () => said.push('bob back'));
  // Silent again within the minute: its "not responding" waits for the minute to be over.
  clock.now = 10_000;
  notices.silent('bob', () => said.push('bob silent'));
  mock.timers.tick(SILENT_NOTICE_HOLD_MS);
  notices.reached('bob', () => said.push('bob through carol'));
  mock.timers.tick(SILENCE_SAID_EVERY_MS);
  assert.deepEqual(said, ['bob silent', 'bob back'], 'his lines come: not "not responding" after them');
});
