// Which reason a member's entry shows when several hold: this page's own decisions before
// what the member's link proved, and that before what the link itself says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLOODING, type ProblemFacts, shownProblem } from '../../client/member-problems.ts';

const none: ProblemFacts = { held: null, suspect: false, muted: false, unproven: false, link: null };
const unreachable = { code: 'no-turn', text: 'unreachable: no TURN' } as const;

test('an entry shows held, then a failed proof, then muted, then no room key, then the link’s own reason', () => {
  const all: ProblemFacts = { held: FLOODING, suspect: true, muted: true, unproven: true, link: unreachable };
  assert.equal(shownProblem(all), FLOODING);
  assert.equal(shownProblem({ ...all, held: null })?.code, 'room-key-mismatch');
  assert.equal(shownProblem({ ...all, held: null, suspect: false })?.code, 'muted');
  assert.equal(shownProblem({ ...all, held: null, suspect: false, muted: false })?.code, 'no-room-key');
  assert.equal(shownProblem({ ...none, link: unreachable }), unreachable);
  assert.equal(shownProblem(none), null);
});
