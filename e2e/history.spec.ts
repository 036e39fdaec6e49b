// History for late joiners, peer to peer: the newcomer gets the room's last 200 lines from
// the members already there, once each, in sender-time order, each checked against its
// author's own key; a member who alters or invents another member's line in the history it
// relays is caught.

import { expect, sharedTest as test } from './support/fixtures.ts';
import { react, reactionChip, sendMany, shownLines, waitForHistory, waitForLinesFrom } from './support/history.ts';
import { openRoom, openUser, selfId, shareLink, waitForMesh } from './support/users.ts';

// Four browsers and hundreds of lines on two shared cores: room to breathe under load.
test.setTimeout(240_000);
const meshTimeoutMs = 120_000;

test('a late joiner gets exactly the 200 most recent lines, once each, in order, all verified', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openRoom(browsers, server.url, ['alice', 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned too few users');
  await waitForMesh([alice, bob], meshTimeoutMs);

  // Alice's 130 lines, then (once Bob has them all) Bob's 130: sender-time order is known.
  const fromAlice = Array.from({ length: 130 }, (_, i) => `alice line ${i}`);
  const fromBob = Array.from({ length: 130 }, (_, i) => `bob line ${i}`);
  await sendMany(alice.page, fromAlice);
  await waitForLinesFrom(bob.page, alice.id, fromAlice.length);
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

/**
 * Runs in Mallory's page before its script: every history answer she sends is rewritten.
 * The first line by `victim` gets new text (same id and signature); a line is invented in
 * the victim's name (a fresh id, a copied signature); both are counted in __forged.
 */
function forgeHistory(victim: string): void {
  const g = globalThis as unknown as {
    RTCDataChannel: { prototype: { send(data: unknown): void } };
    __forged: number;
  };
  g.__forged = 0;
  const send = g.RTCDataChannel.prototype.send;
  g.RTCDataChannel.prototype.send = function (this: unknown, data: unknown) {
    if (typeof data === 'string' && data.includes('"history:lines"')) {
      const message = JSON.parse(data) as {
        lines: Array<{ from: string; name: string; id: string; ts: number; text: string; sig?: string }>;
      };
      const theirs = message.lines.filter((line) => line.from === victim);
      const first = theirs[0];
      if (first) {
        const invented = { ...first, id: `forged${first.id.slice(6)}`, text: 'INVENTED: I give mallory my account' };
        first.text = 'ALTERED: meet at midnight';
        // And a reaction in the victim's name: he is in the room, so only his own word counts.
        (first as { reactions?: unknown[] }).reactions = [{ emoji: '😢', by: victim, name: 'victim' }];
        message.lines.push(invented);
        g.__forged += 2;
      }
      return send.call(this, JSON.stringify(message));
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
  await malloryContext.addInitScript(`(${forgeHistory.toString()})(${JSON.stringify(bob.id)})`);
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
  // Bob's real lines, once each and verified; the altered copy lost to the true ones.
  const fromBob = history.filter((line) => line.from === bob.id && line.verified === 'true');
  expect(fromBob.map((line) => line.text)).toEqual(said);
  expect(history.filter((line) => line.text.startsWith('ALTERED')).every((line) => line.verified !== 'true')).toBe(
    true,
  );
  // The invented line is shown, flagged as not from Bob.
  const invented = history.filter((line) => line.text.startsWith('INVENTED'));
  expect(invented.map((line) => [line.from, line.verified])).toEqual([[bob.id, 'false']]);
  await expect(dave.page.locator('[data-verified=false]')).toContainText('altered or invented by mallory');
  // Nor a reaction Bob did not make.
  await expect(dave.page.locator('[data-testid=reaction][data-emoji="😢"]')).toHaveCount(0);
  // Nothing shown as verified that Bob did not say.
  const verifiedTexts = history.filter((line) => line.verified === 'true').map((line) => line.text);
  expect(verifiedTexts.filter((text) => !said.includes(text))).toEqual([]);
});

test('a member who reloads keeps its key: its earlier lines come back to it, and to a newcomer, as verified', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openRoom(browsers, server.url, ['alice', 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned too few users');
  await waitForMesh([alice, bob], meshTimeoutMs);
  await sendMany(bob.page, ['said before the reload']);
  await waitForLinesFrom(alice.page, bob.id, 1);

  await bob.page.reload();
  // The reload resumes its peer id; its new page asks Alice for history.
  expect(await selfId(bob.page)).toBe(bob.id);
  await waitForMesh([alice, bob], meshTimeoutMs);
  await waitForHistory(bob.page, 1);
  const back = (await shownLines(bob.page)).filter((line) => line.history);
  expect(back.map((line) => [line.from, line.text, line.verified])).toEqual([
    [bob.id, 'said before the reload', 'true'],
  ]);

  const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(alice.page), 'carol');
  await waitForMesh([alice, bob, carol], meshTimeoutMs);
  await waitForHistory(carol.page, 2);
  const onCarol = (await shownLines(carol.page)).filter((line) => line.history);
  expect(onCarol.map((line) => [line.from, line.text, line.verified])).toEqual([
    [bob.id, 'said before the reload', 'true'],
  ]);
});
