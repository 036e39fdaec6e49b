// History for late joiners, peer to peer: the newcomer gets the room's last 200 lines from
// the members already there, once each, in sender-time order, each checked against its
// author's own key; a member who alters or invents another member's line in the history it
// relays is caught, and one who relays more than 200 lines is heard for 200; a line whose
// author left before the newcomer learned its key shows as relayed, not verified. Reactions
// travel with their lines, signed by their reactors: a forged one is dropped, and one whose
// reactor's key the newcomer never learned is marked as the relaying member's word.

import { expect, sharedTest as test } from './support/fixtures.ts';
import {
  chatLine,
  react,
  reactionChip,
  sendMany,
  shownLines,
  waitForHistory,
  waitForLinesFrom,
} from './support/history.ts';
import {
  openMeshedPair,
  openRoom,
  openUser,
  selfId,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForPeers,
} from './support/users.ts';

// Four browsers and hundreds of lines on two shared cores: room to breathe under load.
test.setTimeout(240_000);
const meshTimeoutMs = 120_000;

test('a late joiner gets exactly the 200 most recent lines, once each, in order, all verified', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url, ['alice', 'bob'], meshTimeoutMs);

  // Alice's 130 lines, then (once Bob has them all) Bob's 130: sender-time order is known.
  const fromAlice = Array.from({ length: 130 }, (_, i) => `alice line ${i}`);
  const fromBob = Array.from({ length: 130 }, (_, i) => `bob line ${i}`);
  const aliceStarted = await alice.page.evaluate(() => Date.now());
  await sendMany(alice.page, fromAlice);
  await waitForLinesFrom(bob.page, alice.id, fromAlice.length);
  // A burst's sender times run ahead of the clock (each line at least 1 ms after the one
  // before, chat-send.ts), so Bob's come after Alice's only once his clock has passed hers.
  await bob.page.waitForFunction((last) => Date.now() > last, aliceStarted + fromAlice.length);
  await sendMany(bob.page, fromBob);
  await waitForLinesFrom(alice.page, bob.id, fromBob.length);
  // Reactions are part of history: Bob's on Alice's newest line, Alice's on Bob's first.
  await react(bob.page, alice.id, 'alice line 129', 'thumbs up');
  await react(alice.page, bob.id, 'bob line 0', 'heart');

  const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(alice.page), 'carol');
  await waitForMesh([alice, bob, carol], meshTimeoutMs);
  const counts = await waitForHistory(carol.page, 2);
  expect(counts.received).toBe(400); // 200 from each
  expect(counts.forged + counts.relayed).toBe(0);

  const history = (await shownLines(carol.page)).filter((line) => line.history);
  const expected = [...fromAlice, ...fromBob].slice(-200);
  expect(history.map((line) => line.text)).toEqual(expected);
  expect(new Set(history.map((line) => `${line.from} ${line.id}`)).size).toBe(200);
  expect(history.every((line) => line.verified === 'true')).toBe(true);
  expect(history.slice(0, 70).every((line) => line.from === alice.id)).toBe(true);
  expect(history.slice(70).every((line) => line.from === bob.id)).toBe(true);

  // The block sits under its marker, before the line that says we joined.
  const order = await carol.page
    .locator('[data-testid=message], [data-testid=history-marker]')
    .evaluateAll((elements) =>
      elements.map((el) =>
        el.getAttribute('data-testid') === 'history-marker'
          ? 'marker'
          : el.getAttribute('data-history') === 'true'
            ? 'history'
            : el.getAttribute('data-kind'),
      ),
    );
  expect(order[0]).toBe('marker');
  expect(order.slice(1, 201).every((kind) => kind === 'history')).toBe(true);
  expect(order[201]).toBe('system');
  await expect(carol.page.getByTestId('history-marker')).toContainText('only in the browsers');

  const thumbs = reactionChip(carol.page, alice.id, 'alice line 129', '👍');
  await expect(thumbs).toHaveAttribute('data-count', '1');
  await expect(thumbs).toHaveAttribute('title', 'bob');
  const heart = reactionChip(carol.page, bob.id, 'bob line 0', '❤️');
  await expect(heart).toHaveAttribute('data-count', '1');
  await expect(heart).toHaveAttribute('title', 'alice');
  await expect(carol.page.locator('[data-testid=message][data-history=true] [data-testid=reaction]')).toHaveCount(2);
});

/** History lines a member takes from one member per join (protocol/channel/history.ts). */
const MAX_HISTORY_LINES = 200;
/** Lines Mallory pads her answer with, past the cap, from an author never in the room. */
const PADDING = { chunks: 5, linesPerChunk: 50, from: 'ghostwriter1' } as const;

/**
 * Runs in Mallory's page before its script: every history answer she sends is rewritten.
 * The first line by `victim` gets new text (same id and signature); a line is invented in
 * the victim's name (a fresh id, a copied signature); both are counted in __forged. The last
 * part of her answer is followed by more parts, with more lines than anyone may relay, each
 * with the request number her answer echoes (a newcomer takes no other).
 */
function forgeHistory(victim: string, padding: typeof PADDING): void {
  const g = globalThis as unknown as {
    RTCDataChannel: { prototype: { send(data: unknown): void } };
    __forged: number;
  };
  g.__forged = 0;
  const send = g.RTCDataChannel.prototype.send;
  g.RTCDataChannel.prototype.send = function (this: unknown, data: unknown) {
    if (typeof data === 'string' && data.includes('"history:lines"')) {
      const message = JSON.parse(data) as {
        n?: number;
        lines: Array<{ from: string; name: string; id: string; ts: number; text: string; sig?: string }>;
        done: boolean;
      };
      const theirs = message.lines.filter((line) => line.from === victim);
      const first = theirs[0];
      if (first) {
        const invented = { ...first, id: `forged${first.id.slice(6)}`, text: 'INVENTED: I give mallory my account' };
        first.text = 'ALTERED: meet at midnight';
        // And a reaction in the victim's name, "signed" with his line's signature: checked
        // against his key, it is dropped (and counted).
        (first as { reactions?: unknown[] }).reactions = [
          { emoji: '😢', by: victim, name: 'victim', on: true, ts: first.ts, sig: first.sig },
        ];
        message.lines.push(invented);
        g.__forged += 2;
      }
      if (!message.done) return send.call(this, JSON.stringify(message));
      send.call(this, JSON.stringify({ ...message, done: false }));
      for (let chunk = 0; chunk < padding.chunks; chunk++) {
        const lines = Array.from({ length: padding.linesPerChunk }, (_, i) => {
          const n = chunk * padding.linesPerChunk + i;
          return {
            from: padding.from,
            name: 'ghost',
            id: `ghostline${String(n).padStart(4, '0')}`,
            ts: 1_000 + n,
            text: `ghost ${n}`,
            // A reaction by someone who left before anyone here could learn its key: only
            // Mallory's word, and shown as such.
            ...(n === 0 ? { reactions: [{ emoji: '🎉', by: 'ghostreacts1', name: 'gus', on: true, ts: 1_000 }] } : {}),
          };
        });
        const done = chunk === padding.chunks - 1;
        send.call(
          this,
          JSON.stringify({ t: 'history:lines', ...(message.n === undefined ? {} : { n: message.n }), lines, done }),
        );
      }
      return;
    }
    return send.call(this, data);
  };
}

test('a member who alters or invents another member’s line in the history it relays is caught', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openRoom(browsers, server.url, ['alice', 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned too few users');
  const link = await shareLink(alice.page);
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(
    `(${forgeHistory.toString()})(${JSON.stringify(bob.id)}, ${JSON.stringify(PADDING)})`,
  );
  const mallory = await openUser(malloryContext, link, 'mallory');
  await waitForMesh([alice, bob, mallory], meshTimeoutMs);

  const said = ['meet at noon', 'bring the cake', 'see you'];
  await sendMany(bob.page, said);
  await waitForLinesFrom(mallory.page, bob.id, said.length);
  await waitForLinesFrom(alice.page, bob.id, said.length);

  const dave = await openUser(await browsers.newContext({ label: 'dave' }), link, 'dave');
  await waitForMesh([alice, bob, mallory, dave], meshTimeoutMs);
  await waitForHistory(dave.page, 3);
  expect(await mallory.page.evaluate(() => (globalThis as unknown as { __forged: number }).__forged)).toBe(2);

  const history = (await shownLines(dave.page)).filter((line) => line.history);
  // Bob's real lines, once each and verified. The altered copy and the invented line are not
  // shown at all: Bob is here, and his key does not check them (they would pass for his words).
  const fromBob = history.filter((line) => line.from === bob.id);
  expect(fromBob.map((line) => [line.text, line.verified])).toEqual(said.map((text) => [text, 'true']));
  await expect(dave.page.locator('#messages')).not.toContainText('ALTERED');
  await expect(dave.page.locator('#messages')).not.toContainText('INVENTED');
  await expect(dave.page.locator('[data-verified=false]')).toHaveCount(0);
  // Nor a reaction Bob did not make: its signature does not check against his key.
  await expect(dave.page.locator('[data-testid=reaction][data-emoji="😢"]')).toHaveCount(0);
  // One whose reactor's key Dave never learned is Mallory's word, and says so.
  await expect(reactionChip(dave.page, PADDING.from, 'ghost 0', '🎉')).toHaveAttribute(
    'title',
    'gus (relayed by mallory)',
  );
  const reactionCounts = () =>
    dave.page.evaluate(() =>
      (
        globalThis as unknown as { roomlink: { reactions(): { forged: number; relayed: number } } }
      ).roomlink.reactions(),
    );
  await expect.poll(reactionCounts).toEqual({ forged: 1, relayed: 1 });
  // Nothing shown as verified that Bob did not say.
  const verifiedTexts = history.filter((line) => line.verified === 'true').map((line) => line.text);
  expect(verifiedTexts.filter((text) => !said.includes(text))).toEqual([]);
  // Of her answer's 4 + 250 lines, Dave took 200: the padding past them is ignored. (The
  // ghost never was in the room: its lines can only show as relayed.)
  const ghost = history.filter((line) => line.from === PADDING.from);
  expect(ghost.length, 'lines taken from one member').toBe(MAX_HISTORY_LINES - said.length - 1);
  expect(ghost.every((line) => line.verified === 'relayed')).toBe(true);
});

test('a member back under a new id with its key (its tab kept the key, not its ticket) is the author of its lines: not marked "(earlier)", neither where they were live nor for a newcomer', async ({
  server,
  browsers,
}) => {
  const [alice, dave] = await openMeshedPair(browsers, server.url, ['alice', 'dave'], meshTimeoutMs);
  await sendMany(dave.page, ['dave, before the crash']);
  await waitForLinesFrom(alice.page, dave.id, 1);
  // What a restored tab whose resume ticket ran out keeps: its signing key for the room.
  const kept = await dave.page.evaluate(() =>
    Object.entries(sessionStorage).filter(([key]) => key.startsWith('roomlink:signing:')),
  );
  expect(kept).toHaveLength(1);
  await dave.page.close();
  await waitForPeers(alice.page, 0);
  const link = await shareLink(alice.page);
  const context = await browsers.newContext({ label: 'dave again' });
  await context.addInitScript((entries) => {
    // Not in about:blank, the page before the room's, which has no storage to write.
    if ((globalThis as unknown as { location: { protocol: string } }).location.protocol === 'about:') return;
    for (const [key, value] of entries) sessionStorage.setItem(key, value);
  }, kept);
  const daveAgain = await openUser(context, link, 'dave');
  expect(daveAgain.id).not.toBe(dave.id);
  await waitForMesh([alice, daveAgain], meshTimeoutMs);
  // Once he proved on his link that he holds the key (key:held: his key code shows), his line
  // from before is his, not an earlier dave's. It waited for that proof unmarked: it was
  // marked the moment he was listed.
  const entry = (page: typeof alice.page) => page.locator(`[data-testid=peer][data-peer-id="${daveAgain.id}"]`);
  await expect(entry(alice.page)).toHaveAttribute('data-code', /./);
  const before = (page: typeof alice.page) => chatLine(page, dave.id, 'dave, before the crash');
  await expect(before(alice.page)).toBeVisible();
  await expect(before(alice.page)).not.toHaveAttribute('data-earlier', 'true');

  // A newcomer never learned the old dave's key, but the line is signed with the key the dave
  // here holds: checked, and his (it was relayed and marked "(earlier)").
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), link, 'carol');
  await waitForMesh([alice, daveAgain, carol], meshTimeoutMs);
  await waitForHistory(carol.page, 2);
  await expect(entry(carol.page)).toHaveAttribute('data-code', /./);
  const onCarol = (await shownLines(carol.page)).filter((line) => line.history);
  expect(onCarol.map((line) => [line.from, line.text, line.verified])).toEqual([
    [dave.id, 'dave, before the crash', 'true'],
  ]);
  await expect(before(carol.page)).not.toHaveAttribute('data-earlier', 'true');
});

test('a member who reloads keeps its key: its earlier lines come back to it, with their receipts, and to a newcomer, as verified; once it left, as relayed', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url, ['alice', 'bob'], meshTimeoutMs);
  await sendMany(bob.page, ['said before the reload']);
  await waitForLinesFrom(alice.page, bob.id, 1);
  const receipt = () => chatLine(bob.page, bob.id, 'said before the reload').getByTestId('receipt');
  await expect(receipt()).toHaveText('read by 1');

  await bob.page.reload();
  // The reload resumes its peer id; its new page asks Alice for history.
  expect(await selfId(bob.page)).toBe(bob.id);
  await waitForMesh([alice, bob], meshTimeoutMs);
  await waitForHistory(bob.page, 1);
  const back = (await shownLines(bob.page)).filter((line) => line.history);
  expect(back.map((line) => [line.from, line.text, line.verified])).toEqual([
    [bob.id, 'said before the reload', 'true'],
  ]);
  await expect(bob.page.getByTestId('history-marker')).toHaveText(/^Earlier in this room — /);
  // What reached whom came back with it (the tab kept it), and who read it.
  await expect(receipt()).toHaveText('read by 1');
  await expect(receipt()).toHaveAttribute('title', 'Read by alice');

  const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(alice.page), 'carol');
  await waitForMesh([alice, bob, carol], meshTimeoutMs);
  await waitForHistory(carol.page, 2);
  const onCarol = (await shownLines(carol.page)).filter((line) => line.history);
  expect(onCarol.map((line) => [line.from, line.text, line.verified])).toEqual([
    [bob.id, 'said before the reload', 'true'],
  ]);

  // Bob reacts to his line, and leaves. Carol reloads: her new page never heard Bob's key, so
  // his line, which Alice relays, shows as relayed by Alice, not as verified.
  await react(bob.page, bob.id, 'said before the reload', 'heart');
  await expect(reactionChip(alice.page, bob.id, 'said before the reload', '❤️')).toHaveAttribute('title', 'bob');
  await bob.page.close();
  await waitForPeers(alice.page, [carol.id]);
  await carol.page.reload();
  expect(await selfId(carol.page)).toBe(carol.id);
  await waitForMesh([alice, carol], meshTimeoutMs);
  await waitForHistory(carol.page, 1);
  const relayed = (await shownLines(carol.page)).filter((line) => line.history);
  expect(relayed.map((line) => [line.from, line.text, line.verified])).toEqual([
    [bob.id, 'said before the reload', 'relayed'],
  ]);
  await expect(chatLine(carol.page, bob.id, 'said before the reload')).toContainText('relayed by alice');
  await expect(reactionChip(carol.page, bob.id, 'said before the reload', '❤️')).toHaveAttribute(
    'title',
    'bob (relayed by alice)',
  );

  // Bob comes back in a new tab: "bob" again (the browser remembers his name), a new id and a
  // new key. His earlier line and reaction are the room's still, on his new page and on
  // Carol's after another reload, but under his name marked as the earlier Bob's: never as
  // the Bob here now, whose key did not sign them.
  const bobAgain = await openUser(bob.context, await shareLink(alice.page), 'bob');
  expect(bobAgain.id).not.toBe(bob.id);
  const shownAsEarlier = async (page: typeof alice.page) => {
    const counts = await waitForHistory(page, 2);
    expect(counts.dropped).toBe(0);
    const line = chatLine(page, bob.id, 'said before the reload');
    await expect(line).toHaveAttribute('data-earlier', 'true');
    await expect(line).toHaveAttribute('data-verified', 'relayed');
    await expect(line.locator('.name-earlier')).toHaveText('(earlier)');
    await expect(line.locator('.name-earlier')).toHaveAttribute('title', /member who has since left/);
    await expect(reactionChip(page, bob.id, 'said before the reload', '❤️')).toHaveAttribute(
      'title',
      'bob (earlier, relayed by alice)',
    );
  };
  await waitForMesh([alice, carol, bobAgain], meshTimeoutMs);
  await shownAsEarlier(bobAgain.page);
  // He answers it: the reply bar marks it as the line does; Alice, who held it from him, quotes
  // it as she shows it now, the earlier Bob's (her page marked it once a new Bob came: his key
  // is another), and Carol, who gets it relayed after a reload, the same, on Alice's word.
  await chatLine(bobAgain.page, bob.id, 'said before the reload').getByTestId('reply').click();
  await expect(bobAgain.page.getByTestId('reply-bar')).toContainText(
    'Replying to bob (earlier): said before the reload',
  );
  await sendMessage(bobAgain.page, 'still me');
  await waitForLinesFrom(alice.page, bobAgain.id, 1);
  await expect(chatLine(alice.page, bob.id, 'said before the reload')).toHaveAttribute('data-earlier', 'true');
  await expect(chatLine(alice.page, bobAgain.id, 'still me').getByTestId('reply-quote')).toHaveText(
    'bob (earlier): said before the reload',
  );
  await carol.page.reload();
  await waitForMesh([alice, carol, bobAgain], meshTimeoutMs);
  await shownAsEarlier(carol.page);
  await expect(chatLine(carol.page, bobAgain.id, 'still me').getByTestId('reply-quote')).toHaveText(
    'bob (earlier): said before the reload (as alice relays it)',
  );
  // Nothing of it passes for the Bob here now: his lines are the one he wrote in this tab.
  await expect(
    bobAgain.page.locator(`[data-testid=message][data-from="${bobAgain.id}"] [data-testid=message-text]`),
  ).toHaveText(['still me']);
});
