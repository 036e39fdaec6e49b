// `--tunnel`: roomlink opens a localtunnel (to a real localtunnel server the test starts) and
// prints the public link; users who open that link mesh and chat. Signaling gets through
// whichever transport the way in allows: long-polling behind a proxy that refuses WebSocket
// upgrades, WebSocket behind one that refuses long-polling.

import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { Netns } from './support/netns.ts';
import { type Refused, startProxy } from './support/proxy.ts';
import { openRoomAcross } from './support/rooms.ts';
import { expect, type Services, test } from './support/services.ts';
import { startTunnelServer, waitForTunnelLink } from './support/tunnel.ts';
import { sendMessage, type User, waitForMesh, waitForMessages } from './support/users.ts';

const tunnelPort = 3300;
const proxyPort = 3400;
const subdomain = 'roomlink-e2e';

async function roomlinkBehindTunnel(netns: Netns, services: Services) {
  const tunnelServer = await startTunnelServer(netns, tunnelPort);
  services.defer(
    'localtunnel server',
    () => tunnelServer.process.stop(),
    () => tunnelServer.process.output(),
  );
  const server = await services.server({
    netns,
    args: ['--tunnel', '--tunnel-host', tunnelServer.url, '--tunnel-subdomain', subdomain],
  });
  const printed = await waitForTunnelLink(() => server.output());
  return { tunnelServer, server, printed };
}

async function chatAround(users: readonly User[]): Promise<void> {
  await waitForMesh(users);
  const sent = users.map((user) => ({
    from: user.id,
    text: `through the tunnel from ${user.name} ${randomBytes(3).toString('hex')}`,
  }));
  await Promise.all(users.map((user, i) => sendMessage(user.page, sent[i]?.text ?? '')));
  await Promise.all(
    users.map((user) =>
      waitForMessages(
        user.page,
        sent.filter((m) => m.from !== user.id),
      ),
    ),
  );
}

function seats(services: Services, netns: Netns, names: readonly string[]) {
  const pool = services.browsers(netns);
  return names.map((name) => ({ pool, name }));
}

test('users who open the printed tunnel link mesh and chat', async ({ netns, services }) => {
  const { tunnelServer, printed } = await roomlinkBehindTunnel(netns, services);
  expect(printed, 'the server printed a link with the subdomain it asked for').toBe(subdomain);
  const users = await openRoomAcross(
    seats(services, netns, ['alice', 'bob', 'carol']),
    `${tunnelServer.linkFor(printed)}/`,
  );
  for (const user of users) expect(new URL(user.page.url()).host).toBe(`${subdomain}.localhost:${tunnelPort}`);
  await chatAround(users);
});

for (const [refuse, carrier] of [
  ['websocket', 'polling'],
  ['polling', 'websocket'],
] as const satisfies readonly (readonly [Refused, string])[]) {
  test(`behind a proxy that refuses ${refuse}, ${carrier} carries signaling and users still mesh and chat`, async ({
    netns,
    services,
  }) => {
    const { tunnelServer, printed } = await roomlinkBehindTunnel(netns, services);
    const proxy = await startProxy(netns, { port: proxyPort, targetHost: '127.0.0.1', targetPort: tunnelPort, refuse });
    services.defer(
      `proxy refusing ${refuse}`,
      () => proxy.stop(),
      () => proxy.output(),
    );

    const users = await openRoomAcross(
      seats(services, netns, ['alice', 'bob', 'carol']),
      `${tunnelServer.linkFor(printed, proxyPort)}/`,
    );
    await chatAround(users);

    const log = proxy.output();
    if (carrier === 'polling') {
      expect(log, 'the client tried WebSocket and was refused').toContain('refuse websocket');
      expect(log, 'long-polling went through').toMatch(/forward polling (GET|POST)/);
    } else {
      // The client tries WebSocket first, so it may never have asked for long-polling here.
      expect(log, 'WebSocket went through').toContain('forward websocket upgrade');
      expect(log, 'nothing went through by long-polling').not.toMatch(/forward polling/);
    }
  });
}

async function opens(page: Page, url: string): Promise<number> {
  const response = await page.goto(url);
  return response?.status() ?? 0;
}

test('a dropped tunnel is reopened and its link printed again', async ({ netns, services }) => {
  const { tunnelServer, server } = await roomlinkBehindTunnel(netns, services);
  await tunnelServer.process.stop();
  await expect
    .poll(() => server.output(), { message: 'the server says the tunnel dropped' })
    .toMatch(/roomlink tunnel dropped/);

  const again = await startTunnelServer(netns, tunnelPort);
  services.defer(
    'localtunnel server (again)',
    () => again.process.stop(),
    () => again.process.output(),
  );
  const reopened = await waitForTunnelLink(() => server.output(), 30_000, 1);

  const page = await (await services.browsers(netns).newContext({ label: 'visitor' })).newPage();
  expect(await opens(page, `${again.linkFor(reopened)}/`), 'the new link serves the app').toBe(200);
  await expect(page.getByTestId('name-input')).toBeVisible();
});
