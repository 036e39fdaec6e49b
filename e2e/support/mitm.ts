// A man in the middle, for e2e tests only: a signaling proxy in front of the real server,
// and a third browser M that it hands the members' signals to. The proxy forwards the page
// and Socket.IO as they are, except `signal` events between two members who came through
// it: those go to M instead, and M's answers come back to each member as `signal` events
// from the other member. M opens a link to each member, playing the other one, and relays
// their chat channels (every message, as it is) — so each member's link ends at M, with
// M's DTLS fingerprint, and the room-key proofs the members exchange through M cannot
// match. It runs as its own process inside the test namespace:
//
//   node --import tsx e2e/support/mitm.ts --port 3500 --target 127.0.0.1:3000
//
// M's page is served by the proxy at /__mitm and talks to it on the WebSocket /__mitm/ws.
// Long-polling is refused (502), so every member's signaling is a WebSocket the proxy reads.

import { createServer, type IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { BareNetns } from './netns.ts';
import { type NetnsProcess, startInNetns } from './process.ts';

export interface MitmOptions {
  readonly port: number;
  readonly targetHost: string;
  readonly targetPort: number;
}

/** One member's signaling WebSocket through the proxy. */
interface Member {
  peerId: string | null;
  toClient: WebSocket;
}

const text = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString();

export function runMitmProxy(options: MitmOptions): Promise<void> {
  const log = (line: string) => console.log(`mitm: ${line}`);
  const members = new Set<Member>();
  let accomplice: WebSocket | null = null;
  const byPeer = (peerId: unknown): Member | undefined => [...members].find((m) => m.peerId === peerId);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mitm');
    if (url.pathname === '/__mitm') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>M</title>');
      return;
    }
    if (url.pathname.startsWith('/socket.io/') && url.searchParams.get('transport') === 'polling') {
      res.writeHead(502, { connection: 'close' }).end();
      return;
    }
    const upstream = request(
      { host: options.targetHost, port: options.targetPort, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const path = new URL(req.url ?? '/', 'http://mitm').pathname;
    if (path === '/__mitm/ws') {
      sockets.handleUpgrade(req, socket, head, (ws) => {
        accomplice = ws;
        log('accomplice connected');
        ws.on('message', (data) => {
          const { as, to, ...body } = JSON.parse(text(data)) as { as: string; to: string };
          const target = byPeer(to);
          if (!target) return;
          target.toClient.send(`42${JSON.stringify(['signal', { from: as, ...body }])}`);
          log(`injected a signal to ${to} as ${as}`);
        });
      });
      return;
    }
    sockets.handleUpgrade(req, socket, head, (toClient) => {
      const member: Member = { peerId: null, toClient };
      members.add(member);
      const toServer = new WebSocket(`ws://${options.targetHost}:${options.targetPort}${req.url ?? '/'}`, {
        headers: { host: req.headers.host ?? '', origin: req.headers.origin ?? '' },
      });
      const early: string[] = [];
      toServer.on('open', () => {
        for (const frame of early.splice(0)) toServer.send(frame);
      });
      toClient.on('message', (data) => {
        const frame = text(data);
        const diverted = accomplice !== null && divert(member, frame);
        if (diverted) return;
        if (toServer.readyState === WebSocket.OPEN) toServer.send(frame);
        else early.push(frame);
      });
      toServer.on('message', (data) => {
        const frame = text(data);
        learnPeerId(member, frame);
        toClient.send(frame);
      });
      const close = () => {
        members.delete(member);
        toServer.close();
        toClient.close();
      };
      toServer.on('close', close);
      toClient.on('close', close);
      toServer.on('error', close);
      toClient.on('error', close);
    });
  });

  /** A signal from one member to another who is also here: to the accomplice, not the server. */
  function divert(from: Member, frame: string): boolean {
    if (!frame.startsWith('42[') || from.peerId === null) return false;
    const [event, payload] = JSON.parse(frame.slice(2)) as [string, { to?: string }];
    if (event !== 'signal' || payload.to === undefined || byPeer(payload.to) === undefined) return false;
    const { to, ...body } = payload;
    accomplice?.send(JSON.stringify({ from: from.peerId, to, ...body }));
    log(`diverted a signal from ${from.peerId} to ${to}`);
    return true;
  }

  /** The join ack names the member's peer id. */
  function learnPeerId(member: Member, frame: string): void {
    const ack = /^43\d*(\[.*)$/s.exec(frame);
    if (!ack?.[1]) return;
    const [reply] = JSON.parse(ack[1]) as [{ ok?: boolean; self?: { id?: string } }];
    if (reply?.ok && typeof reply.self?.id === 'string') {
      member.peerId = reply.self.id;
      log(`member ${member.peerId} joined through the proxy`);
    }
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      log(`listening on 127.0.0.1:${options.port}`);
      resolve();
    });
  });
}

/** Starts the proxy as a process inside `netns`. */
export function startMitmProxy(netns: Pick<BareNetns, 'spawn'>, options: MitmOptions): Promise<NetnsProcess> {
  return startInNetns(netns, {
    label: 'mitm proxy',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--port',
      String(options.port),
      '--target',
      `${options.targetHost}:${options.targetPort}`,
    ],
    ready: /mitm: listening/,
  });
}

/**
 * M's page: for each member who offers to another, a link to it playing that other (M
 * answers), and a link to the other playing the first (M offers). A fresh offer (new DTLS
 * fingerprint: the member retried on a fresh link) gets fresh links on both sides. The chat
 * channels (negotiated, id 0) are relayed both ways; `__mitm.relayed()` lists what passed.
 * A string: the root tsconfig has no DOM lib, and it runs in the page.
 */
const mitmScript = `(() => {
  const relayed = [];
  const sides = new Map();
  let sessions = 0;
  const ws = new WebSocket('ws://' + location.host + '/__mitm/ws');
  const send = (as, to, body) => ws.send(JSON.stringify({ as, to, ...body }));
  const fingerprint = (sdp) => (sdp.match(/^a=fingerprint:.*$/m) || [''])[0];
  function makeSide(victim, playing) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channel = pc.createDataChannel('roomlink', { negotiated: true, id: 0, ordered: true });
    const side = { pc, channel, queue: [], early: [], remote: null };
    pc.onicecandidate = (event) => {
      if (event.candidate) send(playing, victim, { candidate: event.candidate.toJSON() });
    };
    channel.onopen = () => {
      for (const data of side.queue.splice(0)) channel.send(data);
    };
    channel.onmessage = (event) => {
      let t = '?';
      try { t = JSON.parse(event.data).t; } catch {}
      relayed.push({ from: victim, to: playing, t });
      const other = sides.get(playing + '>' + victim);
      if (!other) return;
      if (other.channel.readyState === 'open') other.channel.send(event.data);
      else other.queue.push(event.data);
    };
    sides.set(victim + '>' + playing, side);
    sessions++;
    return side;
  }
  const plain = (d) => ({ type: d.type, sdp: d.sdp });
  async function flush(side) {
    for (const candidate of side.early.splice(0)) await side.pc.addIceCandidate(candidate).catch(() => {});
  }
  async function offer(victim, playing) {
    const side = makeSide(victim, playing);
    await side.pc.setLocalDescription(await side.pc.createOffer());
    send(playing, victim, { description: plain(side.pc.localDescription) });
  }
  async function handle({ from, to, description, candidate }) {
    let side = sides.get(from + '>' + to);
    if (description && description.type === 'offer') {
      if (!side || (side.remote !== null && side.remote !== fingerprint(description.sdp))) {
        side = makeSide(from, to);
        await offer(to, from);
      }
      side.remote = fingerprint(description.sdp);
      await side.pc.setRemoteDescription(description);
      await side.pc.setLocalDescription(await side.pc.createAnswer());
      send(to, from, { description: plain(side.pc.localDescription) });
      await flush(side);
    } else if (description && description.type === 'answer' && side) {
      side.remote = fingerprint(description.sdp);
      await side.pc.setRemoteDescription(description);
      await flush(side);
    } else if (candidate && side) {
      if (side.pc.remoteDescription) await side.pc.addIceCandidate(candidate).catch(() => {});
      else side.early.push(candidate);
    }
  }
  let chain = Promise.resolve();
  ws.onmessage = (event) => {
    const signal = JSON.parse(event.data);
    chain = chain.then(() => handle(signal)).catch((error) => console.error('mitm', error));
  };
  window.__mitm = {
    ready: () => ws.readyState === WebSocket.OPEN,
    relayed: () => relayed.slice(),
    sessions: () => sessions,
  };
})()`;

export interface Relayed {
  from: string;
  to: string;
  t: string;
}

interface MitmApi {
  ready(): boolean;
  relayed(): Relayed[];
  sessions(): number;
}

/** Makes `page` the accomplice: it opens M's page on the proxy and waits until connected. */
export async function becomeAccomplice(page: Page, proxyUrl: string): Promise<void> {
  await page.goto(`${proxyUrl}/__mitm`);
  await page.evaluate(mitmScript);
  await page.waitForFunction(() => (globalThis as unknown as { __mitm: MitmApi }).__mitm.ready());
}

/** Every chat-channel message M relayed, with its type. */
export function relayedThrough(page: Page): Promise<Relayed[]> {
  return page.evaluate(() => (globalThis as unknown as { __mitm: MitmApi }).__mitm.relayed());
}

/** How many links M has made (one per member per session). */
export function sessionsThrough(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { __mitm: MitmApi }).__mitm.sessions());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, target: { type: 'string' } } });
  const [targetHost, targetPort] = (values.target ?? '').split(':');
  if (!targetHost || !targetPort || !values.port) {
    console.error('usage: mitm.ts --port N --target HOST:PORT');
    process.exit(2);
  }
  await runMitmProxy({ port: Number(values.port), targetHost, targetPort: Number(targetPort) });
}
