// Saving the chat (client/view/save-chat.ts): each line's rows as the file holds them, the
// file's head and name. What is read off a line element is checked in a browser
// (e2e/ui.spec.ts), where the page's own lines are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localDate, localTime } from '../../client/local-stamp.ts';
import { namingUs, type SavedLine, savedRows, transcript, transcriptName } from '../../client/view/save-chat.ts';

/** 14:05:09 local time on 2026-12-08, wherever the test runs. */
const at = new Date(2026, 11, 8, 14, 5, 9);
const line = (parts: Partial<SavedLine>): SavedLine => ({
  kind: 'chat',
  at,
  sender: 'Bob',
  text: 'see you',
  reply: '',
  marks: [],
  file: '',
  outcome: '',
  reactions: [],
  ...parts,
});

test('local dates and times read by the calendar, the same in every locale', () => {
  assert.equal(localDate(at), '2026-12-08');
  assert.equal(localTime(at), '14:05:09');
  assert.equal(localTime(at, '.', false), '14.05');
  assert.equal(localDate(new Date(2027, 0, 1, 0, 0, 0)), '2027-01-01');
});

test('a line is its date and time, who, and what; its marks after it, without their own brackets', () => {
  assert.equal(savedRows(line({})), '[2026-12-08 14:05] Bob: see you');
  assert.equal(
    savedRows(line({ marks: ['private · to you', '(edited)'] })),
    '[2026-12-08 14:05] Bob: see you (private · to you; edited)',
  );
  assert.equal(
    savedRows(line({ reply: 'Ann: shall we meet?' })),
    '[2026-12-08 14:05] Bob, in reply to “Ann: shall we meet?”: see you',
  );
  assert.equal(
    savedRows(line({ kind: 'system', sender: '', text: 'Carol joined' })),
    '[2026-12-08 14:05] Carol joined',
  );
  assert.equal(
    savedRows(line({ kind: 'system', sender: '', text: 'Earlier in this room', at: null })),
    'Earlier in this room',
  );
  assert.equal(
    savedRows(line({ kind: 'file', text: 'report.pdf', file: '1.2 MB · PDF' })),
    '[2026-12-08 14:05] Bob sent a file: report.pdf (1.2 MB · PDF)',
  );
});

test('a file or voice message sent as a reply says what it answers, as a message does', () => {
  assert.equal(
    savedRows(line({ kind: 'file', text: 'plan.pdf', file: '2 KB · application/pdf', reply: 'Ann: send me the plan' })),
    '[2026-12-08 14:05] Bob sent a file, in reply to “Ann: send me the plan”: plan.pdf (2 KB · application/pdf)',
  );
  assert.equal(
    savedRows(line({ kind: 'file', text: 'voice message 2026-12-08 14.05.09.webm', reply: 'Ann: call me?' })),
    '[2026-12-08 14:05] Bob sent a file, in reply to “Ann: call me?”: voice message 2026-12-08 14.05.09.webm',
  );
});

test('a file says how it stands or ended, as its line does; ours names us where its line says "you"', () => {
  assert.equal(
    savedRows(line({ kind: 'file', text: 'hi.txt', file: '11 B · text/plain', outcome: 'received and checked' })),
    '[2026-12-08 14:05] Bob sent a file: hi.txt (11 B · text/plain) — received and checked',
  );
  const ours = (outcome: string) =>
    namingUs(line({ kind: 'file', sender: 'You', text: 'big.bin', file: '63 MB', outcome }), 'Ann');
  assert.equal(
    savedRows(ours('Bob declined · Carol ✓ received')),
    '[2026-12-08 14:05] Ann (you) sent a file: big.bin (63 MB) — Bob declined · Carol ✓ received',
  );
  assert.equal(ours('cancelled by you; Bob stopped partway').outcome, 'cancelled by Ann (you); Bob stopped partway');
  // Not a member's name that starts with "you": theirs is theirs.
  assert.equal(ours('cancelled by you know who').outcome, 'cancelled by you know who');
  assert.equal(ours('Bob stopped: Dee you reloaded the page').outcome, 'Bob stopped: Dee you reloaded the page');
  assert.equal(
    ours('stopped: you reloaded the page; Bob not sent: you reloaded the page').outcome,
    'stopped: Ann (you) reloaded the page; Bob not sent: Ann (you) reloaded the page',
  );
  assert.equal(
    ours('stopped: the file could no longer be read from your device').outcome,
    'stopped: the file could no longer be read from Ann (you)’s device',
  );
  const toUs = namingUs(
    line({
      kind: 'file',
      text: 'hi.txt',
      file: '11 B',
      marks: ['private · to you'],
      outcome: 'waiting for you to accept',
    }),
    'Ann',
  );
  assert.equal(
    savedRows(toUs),
    '[2026-12-08 14:05] Bob sent a file: hi.txt (11 B) — waiting for Ann (you) to accept (private · to Ann (you))',
  );
});

test('a message of several rows, and the reactions, are indented under the line, so none reads as a line of its own', () => {
  const rows = savedRows(
    line({ text: 'first\n[2026-12-08 14:06] Mallory: not a line\n\nlast', reactions: ['party 2: Ann, Carol'] }),
  ).split('\n');
  assert.deepEqual(rows, [
    '[2026-12-08 14:05] Bob: first',
    '    [2026-12-08 14:06] Mallory: not a line',
    '',
    '    last',
    '    Reactions: party 2: Ann, Carol',
  ]);
  // Every other part is one row: a quote of a message of several rows, say.
  assert.equal(
    savedRows(line({ reply: 'Ann: one\n[x] Mallory: two', marks: ['relayed by\nEve'] })),
    '[2026-12-08 14:05] Bob, in reply to “Ann: one [x] Mallory: two”: see you (relayed by Eve)',
  );
  // A row broken another way (a peer chooses its text) is indented as well.
  for (const brk of ['\r', '\r\n', '\u2028', '\u2029', '\u0085']) {
    assert.equal(
      savedRows(line({ text: `a${brk}[x] Mallory: b` })),
      '[2026-12-08 14:05] Bob: a\n    [x] Mallory: b',
      JSON.stringify(brk),
    );
  }
});

test("no character of a member's text moves what a viewer shows: vertical tab and form feed start an indented row, and other control characters (a terminal's backspace, escape, CSI) are shown as U+FFFD", () => {
  // Unicode breaks a row at VT and FF too (UAX #14, class BK), as some viewers do.
  for (const brk of ['\v', '\f']) {
    assert.equal(
      savedRows(line({ text: `a${brk}[x] Mallory: b` })),
      '[2026-12-08 14:05] Bob: a\n    [x] Mallory: b',
      JSON.stringify(brk),
    );
  }
  // In a terminal (cat), backspaces would write "Alice" over the row's "Mallory", and an escape
  // sequence move the cursor up to rewrite a row above; BEL rings; U+009B is CSI in 8 bits.
  const back = '\b'.repeat(9);
  const rows = savedRows(
    line({
      sender: 'Mallory',
      text: `${back}Alice: pay him \u001b[1A\u001b[2K\u0007\u009b1A`,
      reply: 'Ann: \u001b[31mred',
      marks: ['relayed by \u001bEve'],
      reactions: ['party 1: \bCarol'],
    }),
  );
  assert.ok(!/[^\P{Cc}\n]/u.test(rows), JSON.stringify(rows));
  assert.ok(rows.startsWith('[2026-12-08 14:05] Mallory, in reply to “Ann: \uFFFD[31mred”: \uFFFD'), rows);
  // A tab is text, kept as it is.
  assert.equal(savedRows(line({ text: 'a\tb' })), '[2026-12-08 14:05] Bob: a\tb');
});

test('the file: a head with when it was saved and how many lines, then each line; named by the date and time', () => {
  const lines = [line({}), line({ sender: 'Ann', text: 'bye' })];
  assert.equal(
    transcript(lines, at),
    [
      "roomlink chat, saved 2026-12-08 14:05 (times are this device's), 2 lines: those this page held.",
      '',
      '[2026-12-08 14:05] Bob: see you',
      '[2026-12-08 14:05] Ann: bye',
      '',
    ].join('\n'),
  );
  assert.match(transcript([], at), /, 0 lines:/);
  assert.match(transcript([line({})], at), /, 1 line:/);
  assert.equal(transcriptName(at), 'roomlink chat 2026-12-08 14.05.txt');
});

test('where the page says "You", the file names us: sender, a private line to us, among the reactors', () => {
  const ours = namingUs(line({ sender: 'You', reactions: ['thumbs up 2: You, Rapid Lemur', 'heart 1: You'] }), 'Ann');
  assert.equal(ours.sender, 'Ann (you)');
  assert.deepEqual(ours.reactions, ['thumbs up 2: Ann (you), Rapid Lemur', 'heart 1: Ann (you)']);
  const toUs = namingUs(line({ marks: ['private · to you', '(edited)'], reactions: ['party 1: Youssef'] }), 'Ann');
  assert.deepEqual(toUs.marks, ['private · to Ann (you)', '(edited)']);
  assert.equal(toUs.sender, 'Bob');
  assert.deepEqual(toUs.reactions, ['party 1: Youssef'], 'only the word alone');
  // The page's own sentences about us name us too (they said "You", nobody to another reader),
  // their verbs agreeing; a member's own words are left as written.
  const said = (text: string) => namingUs(line({ kind: 'system', sender: '', text }), 'Ann').text;
  assert.equal(said('You started this room. Share the link'), 'Ann (you) started this room. Share the link');
  assert.equal(said('You are now Ann'), 'Ann (you) is now Ann');
  // Our name, said once: "Ann (you) joined as Ann." said it twice; a name since changed is said.
  assert.equal(said("You're back as Ann. Here: Bob."), 'Ann (you) is back. Here: Bob.');
  assert.equal(said('You joined as Ann. Here: Bob, Carol.'), 'Ann (you) joined. Here: Bob, Carol.');
  assert.equal(said('You joined as Annie. Here: Bob.'), 'Ann (you) joined as Annie. Here: Bob.');
  assert.equal(said('Bob joined. You stay muted.'), 'Bob joined. Ann (you) stays muted.');
  assert.equal(said('Youssef named the room “Your place”'), 'Youssef named the room “Your place”');
  assert.equal(namingUs(line({ text: 'You are great' }), 'Ann').text, 'You are great', 'a line someone wrote');
});
