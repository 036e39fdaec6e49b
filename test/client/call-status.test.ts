// What the call status says (view/call-status.ts): who is in the call, and, while we are in
// it, who cannot join us because only chat reaches them, through another member (relay.ts);
// and how a tile words a member we do not hear, by its silence or by our own outage
// (view/call-tile-state.ts, view/call-silence.ts, outage.ts).
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { WHILE_OFFLINE } from '../../client/member-problems.ts';
import { createOutageWatch, createSilenceNotices, SILENT_NOTICE_HOLD_MS } from '../../client/outage.ts';
import { silenceOf, unheardWords } from '../../client/view/call-silence.ts';
import { callStatusText } from '../../client/view/call-status.ts';
import { tileStateText } from '../../client/view/call-tile-state.ts';

test('out of a call: whether one runs, and with whom', () => {
  assert.equal(callStatusText(false, false, [], []), 'No call running.');
  assert.equal(callStatusText(false, false, ['bob'], []), 'In the call: bob. Join with one click.');
  assert.equal(callStatusText(true, true, [], []), 'Joining: opening your camera and microphone…');
});

test('in a call, a member reached only through another member is said to be out of its reach, not left unsaid', () => {
  assert.equal(callStatusText(true, false, [], []), 'You are in the call. Nobody else yet.');
  assert.equal(
    callStatusText(true, false, [], [{ name: 'bob', via: 'carol', repairing: false }]),
    'You are in the call. Nobody else yet. bob cannot join you: reached only through carol, and calls need a direct link or TURN.',
  );
  assert.equal(
    callStatusText(
      true,
      false,
      ['carol'],
      [
        { name: 'bob', via: 'carol', repairing: false },
        { name: 'dana', via: 'erin', repairing: false },
      ],
    ),
    'In the call with carol. bob, dana cannot join you: reached only through other members, and calls need a direct link or TURN.',
  );
});

test('in a call, a member whose direct link worked and is being repaired is not reached directly right now, not out of the call’s reach; its tile says it is reconnecting', () => {
  assert.equal(
    callStatusText(true, false, ['alice', 'bob'], [{ name: 'alice', via: 'bob', repairing: true }]),
    'In the call with alice, bob. alice is not reached directly right now (only through bob): trying again.',
  );
  assert.equal(
    callStatusText(
      true,
      false,
      ['carol'],
      [
        { name: 'alice', via: 'carol', repairing: true },
        { name: 'dave', via: 'erin', repairing: true },
        { name: 'bob', via: 'carol', repairing: false },
      ],
    ),
    'In the call with carol. alice, dave are not reached directly right now (only through other members): trying again. bob cannot join you: reached only through carol, and calls need a direct link or TURN.',
  );
  const state = { inCall: true, audio: true, video: true, screen: false };
  const through = { state, relayed: false, heard: false, throughOthers: true, repairing: true } as const;
  for (const silence of ['theirs', 'unknown'] as const) {
    assert.equal(tileStateText({ ...through, silence }), 'reconnecting…', silence);
  }
  assert.equal(tileStateText({ ...through, silence: 'ours' }), WHILE_OFFLINE.text, 'our outage first');
  // Not reached through others, a silent member is "not responding", its link repaired or not.
  assert.equal(tileStateText({ ...through, throughOthers: false, silence: 'theirs' }), 'not responding');
  assert.equal(unheardWords('unknown', true, true), 'reconnecting…');
});

test('a member we do not hear is "not responding"; while we seem offline, out of our reach in the member list’s words; while that is being found out, neither', () => {
  const state = { inCall: true, audio: true, video: true, screen: false };
  const silent = { state, relayed: false, heard: false };
  assert.equal(tileStateText({ ...silent, silence: 'theirs' }), 'not responding');
  assert.equal(tileStateText({ ...silent, silence: 'ours' }), WHILE_OFFLINE.text);
  assert.equal(tileStateText({ ...silent, silence: 'ours' }), 'out of reach while you’re offline');
  assert.equal(tileStateText({ ...silent, silence: 'unknown' }), '');
  // Heard, it is said neither way (a member still heard is no outage's).
  assert.equal(tileStateText({ ...silent, heard: true, silence: 'ours' }), '');
  assert.equal(
    tileStateText({ state: { ...state, audio: false, video: false }, relayed: true, heard: false, silence: 'ours' }),
    'out of reach while you’re offline · muted · camera off · relayed',
  );
  assert.equal(unheardWords('theirs'), 'not responding');
  assert.equal(unheardWords('ours'), WHILE_OFFLINE.text);
  assert.equal(unheardWords('unknown'), null);
});

test('a member silent on its link but reached through another is "no direct link" on its tile and in the status, not "not responding"', () => {
  const state = { inCall: true, audio: true, video: true, screen: false };
  const through = { state, relayed: false, heard: false, silence: 'theirs', throughOthers: true } as const;
  assert.equal(tileStateText(through), 'no direct link');
  assert.equal(tileStateText({ ...through, silence: 'unknown' }), 'no direct link');
  assert.equal(tileStateText({ ...through, silence: 'ours' }), WHILE_OFFLINE.text, 'our outage first');
  assert.equal(tileStateText({ ...through, heard: true }), '', 'heard on its link: nothing to say');
  assert.equal(unheardWords('theirs', true), 'no direct link');
});

test('a tile says what comes of a member’s media: a microphone or camera said on that sends nothing is "no sound", "no picture"; one said off stays muted, camera off', () => {
  const state = { inCall: true, audio: true, video: true, screen: false };
  const look = { state, relayed: false, heard: true, silence: 'theirs' } as const;
  assert.equal(tileStateText(look), '', 'all comes (the default)');
  assert.equal(tileStateText(look, { picture: false, sound: false }), 'no sound · no picture');
  assert.equal(tileStateText(look, { picture: true, sound: false }), 'no sound');
  const off = { ...look, state: { ...state, audio: false, video: false } };
  assert.equal(tileStateText(off, { picture: false, sound: false }), 'muted · camera off');
});

/** No member's "not responding" held back by the chat. */
const nothingHeld = { holding: () => false };

test('whose silence it is follows the outage watch: unknown while the server is checked, then ours (no answer) or theirs (an answer)', async () => {
  for (const answered of [false, true]) {
    const probes: Array<(answered: boolean) => void> = [];
    const watch = createOutageWatch({
      probe: () => new Promise<boolean>((resolve) => probes.push(resolve)),
      changed: () => {},
    });
    const facts = (heard: boolean) => ({ browserOnline: true, socketUp: true, members: [{ id: 'bob', heard }] });
    watch.update(facts(true));
    assert.equal(silenceOf(watch, nothingHeld)('bob'), 'theirs');
    // Bob, the only member, falls silent: our network or his? The server is asked.
    watch.update(facts(false));
    assert.equal(silenceOf(watch, nothingHeld)('bob'), 'unknown', 'never "not responding" before the verdict');
    const checked = new Promise<void>((resolve) => watch.afterCheck(resolve));
    probes[0]?.(answered);
    await checked;
    assert.equal(silenceOf(watch, nothingHeld)('bob'), answered ? 'theirs' : 'ours');
    watch.update(facts(true));
  }
});

test('in a call of three or more, the first member to fall silent is "not responding" only once the chat would say so', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const watch = createOutageWatch({ probe: () => new Promise<boolean>(() => {}), changed: () => {} });
    const notices = createSilenceNotices(watch);
    const silence = silenceOf(watch, notices);
    const said: string[] = [];
    const facts = (bob: boolean) => ({
      browserOnline: true,
      socketUp: true,
      members: [
        { id: 'bob', heard: bob },
        { id: 'carol', heard: true },
        { id: 'dana', heard: true },
      ],
    });
    watch.update(facts(true));
    // Bob falls silent first; Carol and Dana are still heard, so nothing checks the server yet:
    // it may be our network going, and they are next.
    watch.update(facts(false));
    notices.silent('bob', () => said.push('Bob is not responding'));
    assert.equal(silence('bob'), 'unknown');
    const bobsTile = { state: { inCall: true, audio: true, video: true, screen: false }, relayed: false, heard: false };
    assert.equal(tileStateText({ ...bobsTile, silence: silence('bob') }), '', 'nothing said of Bob yet');
    assert.equal(silence('carol'), 'theirs', 'others are held only when they fall silent');
    mock.timers.tick(SILENT_NOTICE_HOLD_MS);
    assert.deepEqual(said, ['Bob is not responding']);
    assert.equal(tileStateText({ ...bobsTile, silence: silence('bob') }), 'not responding', 'said with the chat');
    // Heard again within the hold: said neither in the chat nor in the call.
    watch.update(facts(true));
    notices.back('bob', () => said.push('Bob is back'));
    watch.update(facts(false));
    notices.silent('bob', () => said.push('Bob is not responding'));
    assert.equal(silence('bob'), 'unknown');
    notices.back('bob', () => {});
    watch.update(facts(true));
    assert.equal(silence('bob'), 'theirs');
    assert.deepEqual(said, ['Bob is not responding', 'Bob is back']);
  } finally {
    mock.timers.reset();
  }
});

test('a member we ignore is said to be ignored, and nothing else: its tile is neither heard nor seen here, whatever it sends', () => {
  const state = { inCall: true, audio: false, video: true, screen: true };
  const look = { state, relayed: true, heard: false, silence: 'theirs', ignored: true } as const;
  assert.equal(tileStateText(look), 'ignored');
  assert.equal(tileStateText(look, { picture: false, sound: false }), 'ignored');
  // No longer ignored: what it says of the member as before.
  assert.equal(tileStateText({ ...look, ignored: false }), 'not responding · muted · sharing screen · relayed');
});
