// A check of the test harness itself, independent of roomlink: two Chromiums in a test
// namespace open a WebRTC data channel to each other over the namespace's veth addresses,
// and freezing one browser stops it until it is thawed. When roomlink's tests fail and
// this one passes, look at roomlink; when this one fails too, look at the machine.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { createBrowserPool } from './support/browser.ts';
import { test as base, expect } from './support/fixtures.ts';
import { startInNetns } from './support/process.ts';

const pagePort = 8000;
const tinyServer = `
  const http = require("node:http");
  http.createServer((req, res) => {
    res.setHeader("content-type", "text/html");
    res.end("<!doctype html><title>harness</title><p>harness page</p>");
  }).listen(${pagePort}, "127.0.0.1", () => console.log("harness page listening"));
`;

// A throwaway page server instead of roomlink's.
const test = base.extend<{ pageUrl: string }>({
  pageUrl: async ({ netns }, use) => {
    const server = await startInNetns(netns, {
      label: 'harness page server',
      command: process.execPath,
      args: ['-e', tinyServer],
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      ready: /listening/,
    });
    try {
      await use(`http://localhost:${pagePort}/`);
    } finally {
      await server.stop();
    }
  },
});

// Page scripts are strings: the root tsconfig has no DOM types.
const setUpPeer = `(() => {
  const pc = new RTCPeerConnection();
  const channel = pc.createDataChannel("harness", { negotiated: true, id: 0 });
  const received = [];
  channel.onmessage = (event) => received.push(event.data);
  const gathered = () => pc.iceGatheringState === "complete" ? Promise.resolve()
    : new Promise((resolve) => pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve()));
  window.harness = { pc, channel, received, gathered };
})()`;

async function offer(page: Page): Promise<string> {
  return page.evaluate<string>(`(async () => {
    const { pc, gathered } = window.harness;
    await pc.setLocalDescription(await pc.createOffer());
    await gathered();
    return JSON.stringify(pc.localDescription);
  })()`);
}

async function answer(page: Page, remote: string): Promise<string> {
  return page.evaluate<string>(`(async () => {
    const { pc, gathered } = window.harness;
    await pc.setRemoteDescription(${remote});
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered();
    return JSON.stringify(pc.localDescription);
  })()`);
}

async function selectedLocalCandidate(page: Page): Promise<string> {
  return page.evaluate<string>(`(async () => {
    const stats = await window.harness.pc.getStats();
    for (const report of stats.values()) {
      if (report.type !== "transport" || !report.selectedCandidatePairId) continue;
      const local = stats.get(stats.get(report.selectedCandidatePairId).localCandidateId);
      return local.candidateType + " " + local.address;
    }
    return "none";
  })()`);
}

const channelOpen = "window.harness.channel.readyState === 'open'";
const received = (text: string): string => `window.harness.received.includes(${JSON.stringify(text)})`;

test('two Chromiums in a test namespace connect a data channel over host candidates, and a frozen one resumes when thawed', async ({
  browsers,
  pageUrl,
}) => {
  const alice = await (await browsers.newContext({ label: 'alice' })).newPage();
  const bob = await (await browsers.newContext({ label: 'bob', freezable: true })).newPage();
  await Promise.all([alice.goto(pageUrl), bob.goto(pageUrl)]);
  expect(await alice.evaluate<boolean>("isSecureContext && typeof crypto.subtle === 'object'")).toBe(true);

  await alice.evaluate(setUpPeer);
  await bob.evaluate(setUpPeer);
  await alice.evaluate(`window.harness.pc.setRemoteDescription(${await answer(bob, await offer(alice))})`);
  await alice.waitForFunction(channelOpen);
  await bob.waitForFunction(channelOpen);
  expect(await selectedLocalCandidate(alice)).toMatch(/^host 10\.77\.\d+\.[12]$/);

  await alice.evaluate("window.harness.channel.send('before freeze')");
  await bob.waitForFunction(received('before freeze'));

  browsers.freeze(bob.context());
  const frozenAnswer = bob.evaluate<number>('1');
  const outcome = await Promise.race([
    frozenAnswer,
    new Promise((resolve) => setTimeout(() => resolve('no answer'), 1_500)),
  ]);
  expect(outcome).toBe('no answer');
  await alice.evaluate("window.harness.channel.send('while frozen')");

  browsers.thaw(bob.context());
  expect(await frozenAnswer).toBe(1);
  await bob.waitForFunction(received('while frozen'));
});

test('a frozen browser is killed at teardown', async ({ netns, pageUrl }) => {
  // A pool of its own, so the test can close it and look at what is left.
  const pool = createBrowserPool(netns);
  const carol = await (await pool.newContext({ label: 'carol', freezable: true })).newPage();
  await carol.goto(pageUrl);
  const processes = pool.processesOf(carol.context());
  expect(processes.length, 'Chromium runs as a tree of processes').toBeGreaterThan(1);
  pool.freeze(carol.context());
  await expect.poll(() => processes.filter(running), { message: 'frozen: every process stopped' }).toEqual([]);
  await pool.close();
  // Killed, not left stopped: nothing of the tree is alive (a zombie awaiting its reaper is dead).
  await expect
    .poll(() => processes.filter(alive), { message: 'no process of the frozen browser survives' })
    .toEqual([]);
});

/** The process's state letter from /proc, or null when it no longer exists. */
function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}
const alive = (pid: number): boolean => {
  const state = stateOf(pid);
  return state !== null && state !== 'Z' && state !== 'X';
};
const running = (pid: number): boolean => alive(pid) && stateOf(pid) !== 'T';

test('a namespace is ready when made: no address still tentative, even after its network comes back', async ({
  netns,
}) => {
  // A tentative IPv6 address turning valid is a network change to Chromium, which aborts a
  // page load under way (ERR_NETWORK_CHANGED): none may be left once the namespace is handed out.
  const tentative = () => netns.run('ip', ['-6', 'addr', 'show', 'tentative']);
  expect(await netns.run('ip', ['-6', 'addr', 'show', 'dev', 'veth0'])).toMatch(/inet6 fe80::/);
  expect(await tentative()).toBe('');
  await netns.cutNetwork();
  await netns.restoreNetwork();
  expect(await tentative()).toBe('');
});
