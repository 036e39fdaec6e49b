// A lying signaling server gives a member another's name (client/twins.ts): here Emma's
// server introduces Bob to her as "Ernma", which looks like hers ("rn" for "m") and which the
// honest server would have refused beside her. Her page compares names with the confusables table it fetches once
// joined (client/confusables.ts), says once that two members share her name, and shows each
// with the start of its key code; Bob's page, told the truth, says nothing. So with a name in
// Cyrillic capitals drawn as a Latin one: "ВОВ" beside "BOB".

import { expect, sharedTest as test } from './support/fixtures.ts';
import { newRoomLink, openUser, selfId, waitForMesh } from './support/users.ts';

test('a member the server names like us is told apart by its key code, and the page says so once', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const emmaPage = await (await browsers.newContext({ label: 'emma' })).newPage();
  // Every "bob" the server tells Emma of is "Ernma".
  await emmaPage.routeWebSocket(/\/socket\.io\//, (page) => {
    const real = page.connectToServer();
    real.onMessage((message) =>
      page.send(typeof message === 'string' ? message.replaceAll('"name":"bob"', '"name":"Ernma"') : message),
    );
  });
  await emmaPage.addInitScript(() => localStorage.setItem('roomlink:name', 'Emma'));
  await emmaPage.goto(link);
  const emma = { name: 'Emma', id: await selfId(emmaPage), page: emmaPage, context: emmaPage.context() };
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'bob');
  await waitForMesh([emma, bob]);

  const warning = emmaPage.getByTestId('message').filter({ hasText: 'The server should never allow that' });
  await expect(warning).toHaveCount(1, { timeout: 30_000 });
  await expect(warning).toContainText('Someone else here has a name that looks like yours (Emma, Ernma).');
  // Both entries carry a tag: the start of each one's key code, which the entry holds whole.
  const entry = emmaPage.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`);
  // Once Bob proved on his link that he holds his key (key:held), not only announced it.
  await expect(entry).toHaveAttribute('data-code', /./);
  const code = await entry.getAttribute('data-code');
  expect(code).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
  await expect(entry.locator('.name-twin')).toHaveText(`#${code?.slice(0, 4)}`);
  await expect(emmaPage.getByTestId('self').locator('.name-twin')).toHaveText(/^#[0-9a-f]{4}$/);
  // Bob's page, told the truth, sees no twins.
  await expect(bob.page.locator('.name-twin')).toHaveCount(0);
  await expect(bob.page.getByTestId('message').filter({ hasText: 'should never allow' })).toHaveCount(0);
});

test('a member the server names in Cyrillic capitals drawn as our name ("ВОВ" beside "BOB") is told apart too', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const bobPage = await (await browsers.newContext({ label: 'bob' })).newPage();
  // Every "dee" the server tells Bob of is "ВОВ" (Cyrillic Ve, O, Ve).
  await bobPage.routeWebSocket(/\/socket\.io\//, (page) => {
    const real = page.connectToServer();
    real.onMessage((message) =>
      page.send(
        typeof message === 'string' ? message.replaceAll('"name":"dee"', '"name":"\u0412\u041E\u0412"') : message,
      ),
    );
  });
  await bobPage.addInitScript(() => localStorage.setItem('roomlink:name', 'BOB'));
  await bobPage.goto(link);
  const bob = { name: 'BOB', id: await selfId(bobPage), page: bobPage, context: bobPage.context() };
  const dee = await openUser(await browsers.newContext({ label: 'dee' }), link, 'dee');
  await waitForMesh([bob, dee]);

  const warning = bobPage.getByTestId('message').filter({ hasText: 'The server should never allow that' });
  await expect(warning).toHaveCount(1, { timeout: 30_000 });
  await expect(warning).toContainText('Someone else here has a name that looks like yours (BOB, \u0412\u041E\u0412).');
  const entry = bobPage.locator(`[data-testid=peer][data-peer-id="${dee.id}"]`);
  await expect(entry.locator('.name-twin')).toHaveText(/^#[0-9a-f]{4}$/);
  await expect(bobPage.getByTestId('self').locator('.name-twin')).toHaveText(/^#[0-9a-f]{4}$/);
});
