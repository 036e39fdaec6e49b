// The speaking indicator's level (client/calls/audio-level.ts): the RMS of the audio that
// arrived between two reads of the receiver's energy counters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { levelBetween } from '../../client/calls/audio-level.ts';

test('the level is the RMS over the interval, so a short loud sound between two reads counts', () => {
  // 200 ms of audio: 180 ms of silence and a 20 ms beep at level 0.5 (energy 0.5² × 0.02 s).
  const before = { energy: 1.0, duration: 10 };
  const after = { energy: 1.0 + 0.25 * 0.02, duration: 10.2 };
  const level = levelBetween(before, after);
  assert.ok(Math.abs(level - Math.sqrt(0.005 / 0.2)) < 1e-9, String(level));
  assert.ok(level > 0.02, 'above the speaking threshold');
  // Silence: no energy added.
  assert.equal(levelBetween(after, { energy: after.energy, duration: 10.4 }), 0);
});

test('no first sample, no new audio, counters going back or nonsense: level 0, never above 1', () => {
  const sample = { energy: 2, duration: 5 };
  assert.equal(levelBetween(null, sample), 0);
  assert.equal(levelBetween(sample, sample), 0);
  assert.equal(levelBetween(sample, { energy: 1, duration: 6 }), 0);
  assert.equal(levelBetween(sample, { energy: 3, duration: 4 }), 0);
  assert.equal(levelBetween(sample, { energy: Number.NaN, duration: 6 }), 0);
  assert.equal(levelBetween(sample, { energy: 1_000, duration: 5.001 }), 1);
});
