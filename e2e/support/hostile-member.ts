// A hostile member, for e2e tests and the flood benchmark: a real roomlink page whose chat
// channels this init script captures (by wrapping RTCPeerConnection.prototype.createDataChannel),
// so that the test can put crafted messages on them — past the page's own code, as an
// attacker who edits the client would. And a victim's instruments: long tasks, timer lag
// and line arrival times.
//
// The scripts are strings: the root tsconfig has no DOM lib, and they run in the page.

import type { Page } from '@playwright/test';

/** Captures each page's negotiated chat channels in creation order; exposes `__hostile`. */
export const hostileMemberScript = `(() => {
  const captured = [];
  const original = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (label, init) {
    const channel = original.call(this, label, init);
    if (init && init.negotiated && init.id === 0) {
      const entry = { channel, pongs: 0, acked: [] };
      channel.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        if (event.data.startsWith('{"t":"pong"')) entry.pongs++;
        if (event.data.startsWith('{"t":"ack"')) entry.acked.push(...JSON.parse(event.data).ids);
      });
      captured.push(entry);
    }
    return channel;
  };
  const text = 'x'.repeat(4000);
  /** Signs these words with this page's own per-join key (the pair the page keeps in
   *  sessionStorage), as identity.ts signs: base64url of the ECDSA signature. */
  async function sign(words) {
    const stored = Object.keys(sessionStorage).find((key) => key.startsWith('roomlink:signing:'));
    if (!stored) throw new Error('no signing key in this tab');
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const privateKey = await crypto.subtle.importKey(
      'jwk', JSON.parse(sessionStorage.getItem(stored)).privateKey, algorithm, false, ['sign']);
    const bytes = new Uint8Array(await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(words)));
    return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  }
  window.__hostile = {
    states: () => captured.map((entry) => entry.channel.readyState),
    pongs: (index) => captured[index].pongs,
    acked: (index) => captured[index].acked.slice(),
    /** Puts one crafted message (any JSON) on channel #index. */
    send: (index, message) => captured[index].channel.send(JSON.stringify(message)),
    /** Puts a chat line with whatever id, ts and text on channel #index, signed with this
     *  page's own per-join key (the pair the page keeps in sessionStorage), as the member it
     *  is: a member may sign its own lies. Signed as identity.ts signs, with the line it
     *  answers (re) when it has one. */
    async sendSigned(index, line) {
      const parts = ['roomlink/1 line', window.roomlink.selfId(), line.id, line.ts, line.text, null];
      if (line.re) parts.push(line.re.from, line.re.id, line.re.name, line.re.text);
      const sig = await sign(JSON.stringify(parts));
      const re = line.re ? { re: line.re } : {};
      captured[index].channel.send(JSON.stringify({ t: 'chat', id: line.id, ts: line.ts, text: line.text, ...re, sig }));
    },
    /** Puts the deletion of this page's own line (id, ts) as of 'at' on channel #index,
     *  signed as identity.ts signs one: the line need not have gone before it. */
    async sendSignedDeletion(index, deletion) {
      const sig = await sign(JSON.stringify(
        ['roomlink/1 deletion', window.roomlink.selfId(), deletion.id, deletion.ts, null, deletion.at]));
      captured[index].channel.send(JSON.stringify({ t: 'chat:edit', id: deletion.id, ts: deletion.ts, at: deletion.at, sig }));
    },
    /** Sends chat lines (4,000 characters, fresh ids) or pings on channel #index as fast as
     *  it takes them, until it closes or max went out. */
    async flood(index, kind, max) {
      const { channel } = captured[index];
      channel.bufferedAmountLowThreshold = 1 << 20;
      const started = performance.now();
      let sent = 0;
      while (channel.readyState === 'open' && sent < max) {
        if (channel.bufferedAmount > 8 << 20) {
          await new Promise((resolve) => {
            channel.addEventListener('bufferedamountlow', resolve, { once: true });
            channel.addEventListener('close', resolve, { once: true });
          });
          continue;
        }
        const message = kind === 'chat'
          ? { t: 'chat', id: 'flood' + String(sent).padStart(12, '0'), ts: Date.now(), text }
          : { t: 'ping', n: sent };
        try {
          channel.send(JSON.stringify(message));
        } catch {
          break;
        }
        sent++;
        if (sent % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return { sent, ms: performance.now() - started, state: channel.readyState };
    },
  };
})()`;

export interface FloodResult {
  sent: number;
  ms: number;
  state: string;
}

/** Floods the hostile page's channel #index (creation order) with chat lines or pings. */
export function flood(page: Page, index: number, kind: 'chat' | 'ping', max: number): Promise<FloodResult> {
  return page.evaluate(
    ([i, k, m]) =>
      (
        globalThis as unknown as { __hostile: { flood(i: number, k: string, m: number): Promise<FloodResult> } }
      ).__hostile.flood(i, k, m),
    [index, kind, max] as const,
  );
}

/** Puts one crafted message on the hostile page's channel #index, as it is. */
export function sendCrafted(page: Page, index: number, message: unknown): Promise<void> {
  return page.evaluate(
    ([i, m]) => (globalThis as unknown as { __hostile: { send(i: number, m: unknown): void } }).__hostile.send(i, m),
    [index, message] as const,
  );
}

/** A chat line signed with the hostile page's own key, put on its channel #index as it is. */
export function sendSignedLine(
  page: Page,
  index: number,
  line: { id: string; ts: number; text: string; re?: { from: string; id: string; name: string; text: string } },
): Promise<void> {
  return page.evaluate(
    ([i, l]) =>
      (
        globalThis as unknown as { __hostile: { sendSigned(i: number, l: unknown): Promise<void> } }
      ).__hostile.sendSigned(i, l),
    [index, line] as const,
  );
}

/** The deletion of the hostile page's own line (id, ts) as of `at`, signed with its key, on channel #index. */
export function sendSignedDeletion(
  page: Page,
  index: number,
  deletion: { id: string; ts: number; at: number },
): Promise<void> {
  return page.evaluate(
    ([i, d]) =>
      (
        globalThis as unknown as { __hostile: { sendSignedDeletion(i: number, d: unknown): Promise<void> } }
      ).__hostile.sendSignedDeletion(i, d),
    [index, deletion] as const,
  );
}

/** The chat line ids the other side acknowledged on channel #index. */
export function ackedIds(page: Page, index: number): Promise<string[]> {
  return page.evaluate(
    (i) => (globalThis as unknown as { __hostile: { acked(i: number): string[] } }).__hostile.acked(i),
    index,
  );
}

export function pongsReceived(page: Page, index: number): Promise<number> {
  return page.evaluate(
    (i) => (globalThis as unknown as { __hostile: { pongs(i: number): number } }).__hostile.pongs(i),
    index,
  );
}

/**
 * The victim's instruments: every long task, how late a 20 ms timer ran at worst (a flood
 * of short tasks delays timers without any one task being long), and when each line first
 * appeared (Date.now()).
 */
export const victimScript = `(() => {
  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
  }).observe({ type: 'longtask', buffered: true });
  let maxTimerLag = 0;
  let lastTick = performance.now();
  setInterval(() => {
    const now = performance.now();
    maxTimerLag = Math.max(maxTimerLag, now - lastTick - 20);
    lastTick = now;
  }, 20);
  const arrivals = new Map();
  const reasons = new Set();
  const watch = () => {
    const messages = document.getElementById('messages');
    const members = document.getElementById('members');
    if (!messages || !members) return void requestAnimationFrame(watch);
    new MutationObserver(() => {
      for (const reason of members.querySelectorAll('[data-testid=peer] .member-reason')) {
        reasons.add(reason.closest('[data-testid=peer]').dataset.peerId + ' ' + reason.dataset.reason);
      }
    }).observe(members, { childList: true, subtree: true });
    new MutationObserver((records) => {
      const at = Date.now();
      for (const record of records) {
        for (const node of record.addedNodes) {
          const text = node.querySelector?.('[data-testid=message-text]')?.textContent;
          if (text && !arrivals.has(text)) arrivals.set(text, at);
        }
      }
    }).observe(messages, { childList: true });
  };
  document.addEventListener('DOMContentLoaded', watch);
  window.__victim = {
    /** Forgets the long tasks and timer lag so far (page load, mesh setup): the ones after count. */
    reset: () => {
      longTasks.splice(0);
      maxTimerLag = 0;
    },
    longTasks: () => longTasks.slice(),
    maxTimerLag: () => Math.round(maxTimerLag),
    arrivedAt: (text) => arrivals.get(text) ?? null,
    /** Every "peerId reason" a member entry showed so far. */
    reasonsSeen: () => [...reasons],
    heapBytes: () => performance.memory?.usedJSHeapSize ?? null,
  };
})()`;

export interface VictimReport {
  /** Every long task since the last reset, in ms. */
  longTasks: number[];
  /** How late the 20 ms timer ran at worst since the last reset, in ms. */
  maxTimerLagMs: number;
  heapBytes: number | null;
  reasonsSeen: string[];
}

export function victimReport(page: Page): Promise<VictimReport> {
  return page.evaluate(() => {
    const victim = (
      globalThis as unknown as {
        __victim: {
          longTasks(): number[];
          maxTimerLag(): number;
          heapBytes(): number | null;
          reasonsSeen(): string[];
        };
      }
    ).__victim;
    return {
      longTasks: victim.longTasks(),
      maxTimerLagMs: victim.maxTimerLag(),
      heapBytes: victim.heapBytes(),
      reasonsSeen: victim.reasonsSeen(),
    };
  });
}

export function resetVictim(page: Page): Promise<void> {
  return page.evaluate(() => (globalThis as unknown as { __victim: { reset(): void } }).__victim.reset());
}

export function arrivedAt(page: Page, text: string): Promise<number | null> {
  return page.evaluate(
    (t) => (globalThis as unknown as { __victim: { arrivedAt(t: string): number | null } }).__victim.arrivedAt(t),
    text,
  );
}
