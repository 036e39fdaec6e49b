// A reload's goodbye and return come out as one line (client/departures.ts); a real
// departure is still said, a moment later.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createDepartures, type Newcomer, PROOF_WITHIN_MS, RETURN_WITHIN_MS } from '../../client/departures.ts';

/** A newcomer whose proof of the key is `proof` when looked at. */
const newcomer = (id: string, joinedText: string, proof: () => boolean | null = () => false): Newcomer => ({
  id,
  joinedText,
  proved: proof,
});

test('a member back within the wait is "back", once; one that stays away is said to have left', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const said: string[] = [];
  const departures = createDepartures((text, about) => said.push(`${about}: ${text}`));
  departures.left('bob', 'Bob left', 'Bob');
  mock.timers.tick(RETURN_WITHIN_MS - 1);
  assert.deepEqual(said, [], 'not yet');
  assert.equal(departures.returned('bob', 'Bob is back'), true);
  departures.left('carol', 'Carol left', 'Carol');
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.equal(departures.returned('carol', 'Carol is back'), false, 'too late: her "joined" line is said as it is');
  assert.equal(departures.returned('dave', 'Dave is back'), false, 'a newcomer');
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.deepEqual(said, ['bob: Bob is back', 'carol: Carol left']);
});

/** Departures on the mocked clock, and what they said. */
function recorded() {
  const said: string[] = [];
  return {
    said,
    departures: createDepartures(
      (text) => said.push(text),
      RETURN_WITHIN_MS,
      () => Date.now(),
    ),
  };
}

/** Lines said while `bob` leaves and comes back every `cycleMs` (away `awayMs` of it) for `forMs`. */
function flapping(cycleMs: number, awayMs: number, forMs: number): string[] {
  const { said, departures } = recorded();
  for (let at = 0; at < forMs; at += cycleMs) {
    departures.left('bob', 'Bob left', 'Bob');
    mock.timers.tick(awayMs);
    if (!departures.returned('bob', 'Bob is back')) said.push('Bob joined');
    mock.timers.tick(cycleMs - awayMs);
  }
  return said;
}

test('a server that says a member left and came back every second, or every few, does not fill the chat: at most a line a minute', (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  t.after(() => mock.timers.reset());
  const everySecond = flapping(1_000, 500, 5 * 60_000);
  assert.ok(
    everySecond.length <= 5,
    `${everySecond.length} lines in 5 minutes: ${everySecond.slice(0, 6).join(', ')}…`,
  );
  assert.equal(everySecond[0], 'Bob is back', 'the first return is said');
  const pastTheWait = flapping(RETURN_WITHIN_MS + 2_000, RETURN_WITHIN_MS + 1_000, 5 * 60_000);
  assert.ok(
    pastTheWait.length <= 8,
    `${pastTheWait.length} lines in 5 minutes: ${pastTheWait.slice(0, 6).join(', ')}…`,
  );
});

test('a member that flapped and then stays away is still said to have left; one that stayed a while is back to the short wait', (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  t.after(() => mock.timers.reset());
  const { said, departures } = recorded();
  for (let i = 0; i < 20; i++) {
    departures.left('bob', 'Bob left', 'Bob');
    mock.timers.tick(100);
    departures.returned('bob', 'Bob is back');
  }
  departures.left('bob', 'Bob left', 'Bob');
  mock.timers.tick(10 * 60_000);
  assert.deepEqual(said, ['Bob is back', 'Bob left']);
  departures.returned('bob', 'Bob is back');
  mock.timers.tick(2 * 60_000);
  departures.left('bob', 'Bob left', 'Bob');
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.deepEqual(said, ['Bob is back', 'Bob left', 'Bob left'], 'after two quiet minutes, the usual wait');
});

test('a newcomer under the name of a member whose "left" waits: that "left" is said first, then its "joined"', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const said: string[] = [];
  const departures = createDepartures((text, about) => said.push(`${about}: ${text}`));
  // Dave closes his tab and opens the link again at once: a new tab, a new id, his name.
  departures.left('dave-1', 'Dave left', 'Dave');
  departures.left('erin', 'Erin left', 'Erin');
  assert.equal(departures.returned('dave-2', 'Dave is back'), false, 'another id: a newcomer');
  assert.equal(departures.joinedAs('DAVE', undefined, 'Dave is back', newcomer('dave-2', 'Dave joined')), false);
  said.push('dave-2: Dave joined');
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.deepEqual(said, ['dave-1: Dave left', 'dave-2: Dave joined', 'erin: Erin left'], 'once each, in order');
});

test('a member back under a new id with the key and name it left with (a restart without the secret) is "back", not "left" and "joined", once it proves the key; another key under its name, a newcomer', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const said: string[] = [];
  const departures = createDepartures((text, about) => said.push(`${about}: ${text}`));
  departures.left('bob-1', 'Bob left', 'Bob', 'key-bob');
  departures.left('cid-1', 'Cid left', 'Cid', 'key-cid');
  let proved = false;
  assert.equal(
    departures.joinedAs(
      'Bob',
      'key-bob',
      'Bob is back',
      newcomer('bob-2', 'Bob joined', () => proved),
    ),
    true,
  );
  assert.deepEqual(said, [], 'nothing until its link proves the key');
  proved = true;
  mock.timers.tick(1_000);
  assert.equal(
    departures.joinedAs('Cid', 'key-other', 'Cid is back', newcomer('cid-2', 'Cid joined')),
    false,
    'not the same member',
  );
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.deepEqual(said, ['bob-1: Bob is back', 'cid-1: Cid left']);
});

test('one that announces the key of a member whose "left" waits, and never proves it, is no "back": that "left", then its "joined"', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const said: string[] = [];
  const departures = createDepartures((text, about) => said.push(`${about}: ${text}`));
  // Bob's public key, copied from his hello, under his name while his "left" waits.
  departures.left('bob-1', 'Bob left', 'Bob', 'key-bob');
  assert.equal(departures.joinedAs('Bob', 'key-bob', 'Bob is back', newcomer('mallory', 'Bob joined')), true);
  // (Stepped: each look is a timer set by the one before.)
  for (let ms = 0; ms <= PROOF_WITHIN_MS + 1_000; ms += 250) mock.timers.tick(250);
  assert.deepEqual(said, ['bob-1: Bob left', 'mallory: Bob joined']);
  // Gone before any proof: the same, at once.
  departures.left('cid-1', 'Cid left', 'Cid', 'key-cid');
  assert.equal(
    departures.joinedAs(
      'Cid',
      'key-cid',
      'Cid is back',
      newcomer('eve', 'Cid joined', () => null),
    ),
    true,
  );
  assert.deepEqual(said.slice(2), ['cid-1: Cid left', 'eve: Cid joined']);
});
