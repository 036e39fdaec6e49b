// The hostile-load part: the real server (dist/server.mjs as `npm start` runs it, default
// limits) in its own process;
// a real room's join latency idle, then while 20 hostile connections flood it — half over
// Socket.IO clients that read, half over raw WebSockets that never read — each from its own
// forwarded address, reconnecting whenever cut off. Reports the join p50 under attack
// against idle, the server's RSS growth, and how long the hostile connections lived.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { onProcessExit } from '../../e2e/support/exit-cleanup.ts';
import { buildServer, SERVER_BUNDLE } from '../../scripts/build-server.ts';
import { fmt, fmtRatio, row, verdict } from '../report/rows.ts';
import { percentileSorted } from '../stats.ts';
import type { PartResult } from './types.ts';

const HOSTILE = 20;
// Spread over ~3 s, so that the figure is the attack as it goes on: 30 back-to-back joins
// took ~60 ms, one instant of it (the attackers' first reconnect, all at once), and the
// same code measured 1.5–3.8× from run to run.
const JOINS = 150;
const JOIN_GAP_MS = 10;
const JOIN_RATIO_TARGET = 2;
const RSS_TARGET_MB = 100;
const CLOSE_TARGET_MS = 2_000;
const START_TIMEOUT_MS = 60_000;
const JOIN_TIMEOUT_MS = 10_000;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const log = (text: string): void => console.log(`  ${text}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

async function startServer(port: number): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  // The bundle, as `npm start` runs it: under tsx the process was another one (its
  // transform, keepNames, source maps on), so its RSS was not production's.
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      STUN_URLS: 'none',
      TRUST_PROXY: 'loopback',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hostile bench: the server did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('roomlink listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`hostile bench: the server exited:\n${output}`)));
  });
  return {
    pid: child.pid ?? 0,
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      unregister();
    },
  };
}

function client(url: string, address: string): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'X-Forwarded-For': address },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** One real join: a fresh connection joins a fresh room; ms from emit to ack (Infinity if it failed). */
async function timedJoin(url: string, n: number): Promise<number> {
  let socket: Socket | undefined;
  try {
    socket = await client(url, `192.0.2.${(n % 200) + 1}`);
    const started = performance.now();
    const request = { roomId: `bench-hostile-room-${n}`, name: 'Real' };
    const ack = (await socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('room:join', request)) as { ok: boolean };
    return ack.ok ? performance.now() - started : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  } finally {
    socket?.close();
  }
}

async function joinTimes(url: string, offset: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let n = 0; n < JOINS; n += 1) {
    times.push(await timedJoin(url, offset + n));
    await new Promise((resolve) => setTimeout(resolve, JOIN_GAP_MS));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentileSorted(sorted, 50), p95: percentileSorted(sorted, 95) };
}

/** The attackers, in a process of their own so that generating the flood does not slow the measuring client. */
function startAttackers(url: string): { lifetimes: number[]; refused(): number; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hostile/attackers.ts', url, String(HOSTILE)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  const lifetimes: number[] = [];
  let refused = 0;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^cut (\d+(?:\.\d+)?)$/.exec(line);
      if (match) lifetimes.push(Number(match[1]));
      else if (line === 'refused') refused += 1;
    }
  });
  return {
    lifetimes,
    refused: () => refused,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      unregister();
    },
  };
}

export async function runHostilePart(): Promise<PartResult> {
  await buildServer();
  const server = await startServer(await freePort());
  try {
    await joinTimes(server.url, 0); // warm-up
    const idleTimes = await joinTimes(server.url, 1_000);
    const idle = idleTimes.p50;
    const rssBefore = rssMb(server.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(server.pid));
    }, 50);
    const attackers = startAttackers(server.url);
    // Measured once the attack is in full swing: every attacker cut off at least once.
    const swing = Date.now();
    while (attackers.lifetimes.length < HOSTILE) {
      if (Date.now() - swing > START_TIMEOUT_MS) throw new Error('hostile bench: the attackers never got going');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const attackTimes = await joinTimes(server.url, 2_000);
    const underAttack = attackTimes.p50;
    await attackers.stop();
    clearInterval(sampler);
    const { lifetimes } = attackers;
    const refused = attackers.refused();
    const growth = rssPeak - rssBefore;
    const longest = Math.max(...lifetimes);
    log(
      `join p50 idle ${fmt(idle, 'ms')}, under attack ${fmt(underAttack, 'ms')}; server RSS ${fmt(rssBefore, 'MB', 0)} → peak ${fmt(rssPeak, 'MB', 0)}; ${lifetimes.length} hostile connections cut, longest lived ${fmt(longest, 'ms', 0)}; ${refused} reconnections refused`,
    );
    const part = 'hostile';
    return {
      part,
      rows: [
        row(part, `join p50 with ${HOSTILE} hostile connections flooding (half not reading) vs idle`, {
          app: `${fmt(underAttack, 'ms')} vs ${fmt(idle, 'ms')}`,
          ratio: fmtRatio(underAttack, idle),
          target: `≤ ${JOIN_RATIO_TARGET}×`,
          result: verdict(underAttack <= JOIN_RATIO_TARGET * idle),
        }),
        row(part, 'join p95 under attack vs idle', {
          app: `${fmt(attackTimes.p95, 'ms')} vs ${fmt(idleTimes.p95, 'ms')}`,
          ratio: fmtRatio(attackTimes.p95, idleTimes.p95),
        }),
        row(part, 'server RSS growth during the attack', {
          app: fmt(growth, 'MB', 0),
          target: `≤ ${RSS_TARGET_MB} MB`,
          result: verdict(growth <= RSS_TARGET_MB),
        }),
        row(
          part,
          `longest a hostile connection stayed open (${lifetimes.length} cut, ${refused} reconnections refused)`,
          {
            app: fmt(longest, 'ms', 0),
            target: `≤ ${CLOSE_TARGET_MS / 1000} s`,
            result: verdict(lifetimes.length >= HOSTILE && longest <= CLOSE_TARGET_MS),
          },
        ),
      ],
      data: {
        idleJoinP50Ms: idle,
        attackJoinP50Ms: underAttack,
        idleJoinP95Ms: idleTimes.p95,
        attackJoinP95Ms: attackTimes.p95,
        rssBeforeMb: rssBefore,
        rssPeakMb: rssPeak,
        lifetimesMs: lifetimes,
        reconnectionsRefused: refused,
      },
      notes: [
        `hostile: the server (server.ts, default limits, TRUST_PROXY=loopback) in its own process; ${HOSTILE} attackers each from its own X-Forwarded-For address, flooding unknown events and reconnecting when cut (a cut address waits out the guard's penalty, 5 s by default); ${JOINS} sequential real joins (fresh connection, fresh room) ${JOIN_GAP_MS} ms apart, idle and under attack (from once every attacker has been cut off at least once).`,
      ],
    };
  } finally {
    await server.stop();
  }
}
