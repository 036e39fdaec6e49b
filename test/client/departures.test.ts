// A reload's goodbye and return come out as one line (client/departures.ts); a real
// departure is still said, a moment later.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { createDepartures, RETURN_WITHIN_MS } from '../../client/departures.ts';

test('a member back within the wait is "back", once; one that stays away is said to have left', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const said: string[] = [];
  const departures = createDepartures((text, about) => said.push(`${about}: ${text}`));
  departures.left('bob', 'Bob left');
  mock.timers.tick(RETURN_WITHIN_MS - 1);
  assert.deepEqual(said, [], 'not yet');
  assert.equal(departures.returned('bob', 'Bob is back'), true);
  departures.left('carol', 'Carol left');
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.equal(departures.returned('carol', 'Carol is back'), false, 'too late: her "joined" line is said as it is');
  assert.equal(departures.returned('dave', 'Dave is back'), false, 'a newcomer');
  mock.timers.tick(RETURN_WITHIN_MS);
  assert.deepEqual(said, ['bob: Bob is back', 'carol: Carol left']);
});
