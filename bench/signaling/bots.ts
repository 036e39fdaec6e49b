// Signaling bots: socket.io-client connections that behave like roomlink's browsers on the
// wire. Each joins its room, and for every other member does a full exchange: of two peers
// that know each other (join ack or peer:joined) the smaller id sends an offer and
// CANDIDATES_PER_PEER candidates, the other answers any offer (also from a peer it never
// heard of) with an answer and as many candidates. A larger id that has heard nothing from
// a peer it knows after LATE_OFFER_MS offers itself, as the app's perfect negotiation would:
// that covers a peer the server never told about it. A bot is done when it has heard a
// description and all candidates from every member of its room.
// A member that leaves (peer:left: its connection died) is dropped, as the app drops it: no
// more signals to it, and a bot is done once it heard every member still there. One that
// comes back (peer:joined, resumed: its node stalled and was swept) is offered to again.
// Every signal is counted (tally.ts): tagged and counted when sent, counted by its tag when
// received, and a refusal the server answers with an 'error' event counted as refused. Per
// bot and peer too, so that what was lost between bots that both kept their connection can
// be told from what was lost with a connection that died (betweenConnected).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, IncomingSignal, JoinAck, ServerToClientEvents } from '../../protocol/signaling.ts';
import type { BotSpec } from './messages.ts';
import { CANDIDATES_PER_PEER, syntheticCandidate, syntheticSdp } from './sdp.ts';
import { readTag, type Tally } from './tally.ts';

type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const JOIN_ACK_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 30_000;
const LATE_OFFER_MS = 2_000;

interface Bot {
  readonly spec: BotSpec;
  readonly socket: BotSocket;
  selfId: string | null;
  /** Peers this bot offered to (those in its join ack): it offers to them again in a storm. */
  readonly offersTo: Set<string>;
  /** Per peer: descriptions and candidates heard in the current round. */
  heard: Map<string, { descriptions: number; candidates: number }>;
  /** Members that left its room (peer:left). */
  readonly left: Set<string>;
  /** Per peer, this round: signals sent to it, and distinct ones received from it. */
  sentTo: Map<string, number>;
  receivedFrom: Map<string, number>;
  /** Why its connection closed, when the bench did not close it. */
  lostConnection: string | null;
  done: boolean;
}

export interface BotCallbacks {
  /** A bot heard everything from every room member this round. */
  onDone(): void;
}

export interface BotFleet {
  connect(concurrency: number): Promise<{ ok: number; failed: number; firstError: string | null }>;
  join(startAt: number, rate: number): Promise<{ latenciesMs: number[]; errors: number; firstError: string | null }>;
  /** Forgets what was heard: the start of a new round (in every process before any sends). */
  reset(): void;
  /** Every bot redoes the exchange with every room member at once (a renegotiation storm). */
  storm(): void;
  incomplete(): number;
  /** Late offers still to be sent (each a timer): a round is not over while there are any. */
  pendingOffers(): number;
  /** Peer ids of the bots whose connection closed without the bench asking. */
  disconnectedIds(): string[];
  /** This round's signals between bots of which neither is in `disconnected`: sent, and received. */
  betweenConnected(disconnected: ReadonlySet<string>): { sent: number; received: number };
  /** What the first unfinished bot is missing (for the report when an exchange stalls). */
  describeIncomplete(): string | null;
  close(): void;
}

/** The name a bot joins with: its node in it, so that the others know where it is. */
const botName = (spec: BotSpec): string => `bot${spec.order}-n${spec.node}`;
const nodeInName = (name: string): number | undefined => {
  const match = /-n(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
};
/** The node of a peer not known yet (never the case with bots that name their node). */
const UNKNOWN_NODE = -1;
/** How the client names a disconnect it asked for (anything else is counted). */
const OWN_DISCONNECT = 'io client disconnect';

export function createFleet(specs: readonly BotSpec[], tally: Tally, callbacks: BotCallbacks): BotFleet {
  /** The node of every peer this fleet has heard of, by peer id (ids are unique across rooms). */
  const nodeOf = new Map<string, number>();
  let pendingOffers = 0;
  const learn = (peer: { id: string; name: string }) => {
    const node = nodeInName(peer.name);
    if (node !== undefined) nodeOf.set(peer.id, node);
  };

  const send = (bot: Bot, to: string, type: 'offer' | 'answer'): void => {
    // A closed socket would only buffer it (no reconnection): not sent, so not counted.
    if (!bot.socket.connected || bot.left.has(to)) return;
    bot.sentTo.set(to, (bot.sentTo.get(to) ?? 0) + 1 + CANDIDATES_PER_PEER);
    const { node } = bot.spec;
    const toNode = nodeOf.get(to) ?? UNKNOWN_NODE;
    bot.socket.emit('signal', { to, description: { type, sdp: syntheticSdp(type, tally.sent(node, toNode)) } });
    for (let n = 0; n < CANDIDATES_PER_PEER; n++) {
      bot.socket.emit('signal', { to, candidate: syntheticCandidate(n, tally.sent(node, toNode)) });
    }
  };

  const bots: Bot[] = specs.map((spec) => ({
    spec,
    socket: io(spec.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      timeout: CONNECT_TIMEOUT_MS,
    }) as BotSocket,
    selfId: null,
    offersTo: new Set(),
    heard: new Map(),
    left: new Set(),
    sentTo: new Map(),
    receivedFrom: new Map(),
    lostConnection: null,
    done: false,
  }));

  const checkDone = (bot: Bot): void => {
    if (bot.done) return;
    let complete = 0;
    for (const [peerId, counts] of bot.heard) {
      if (bot.left.has(peerId)) continue;
      if (counts.descriptions < 1 || counts.candidates < CANDIDATES_PER_PEER) return;
      complete++;
    }
    if (complete < bot.spec.expectPeers - bot.left.size) return;
    bot.done = true;
    callbacks.onDone();
  };

  const offer = (bot: Bot, peerId: string): void => {
    if (bot.offersTo.has(peerId)) return;
    bot.offersTo.add(peerId);
    send(bot, peerId, 'offer');
  };

  const meet = (bot: Bot, peerId: string): void => {
    const self = bot.selfId;
    if (self === null || peerId === self) return;
    if (self < peerId) offer(bot, peerId);
    else {
      pendingOffers++;
      setTimeout(() => {
        pendingOffers--;
        if (!bot.heard.has(peerId) && bot.socket.connected) offer(bot, peerId);
      }, LATE_OFFER_MS);
    }
  };

  const onSignal = (bot: Bot, signal: IncomingSignal): void => {
    const tag = readTag(signal.description?.sdp ?? signal.candidate?.candidate ?? '');
    if (tally.received(signal.from, tag, bot.spec.node) === 'new') {
      bot.receivedFrom.set(signal.from, (bot.receivedFrom.get(signal.from) ?? 0) + 1);
    }
    if (tag !== null) nodeOf.set(signal.from, tag.node);
    const counts = bot.heard.get(signal.from) ?? { descriptions: 0, candidates: 0 };
    bot.heard.set(signal.from, counts);
    if (signal.description) {
      counts.descriptions++;
      if (signal.description.type === 'offer') send(bot, signal.from, 'answer');
    } else if (signal.candidate) {
      counts.candidates++;
    }
    checkDone(bot);
  };

  for (const bot of bots) {
    bot.socket.on('peer:joined', (peer) => {
      learn(peer);
      if (peer.resumed && bot.left.delete(peer.id)) {
        // Back after its node was taken for dead (a stall past the heartbeat). Meanwhile this
        // bot sent it nothing, not even answers: as the app does with a new link, it offers
        // again whatever the id order, and forgets what it heard before.
        bot.heard.delete(peer.id);
        bot.offersTo.delete(peer.id);
        offer(bot, peer.id);
        return;
      }
      meet(bot, peer.id);
    });
    bot.socket.on('signal', (signal) => onSignal(bot, signal));
    bot.socket.on('peer:left', (peer) => {
      bot.left.add(peer.id);
      bot.offersTo.delete(peer.id);
      checkDone(bot);
    });
    // After its join, a bot sends nothing but signals (no ack): every error is a refused one.
    bot.socket.on('error', () => tally.refused());
    bot.socket.on('disconnect', (reason) => {
      if (reason === OWN_DISCONNECT) return;
      bot.lostConnection = reason;
      tally.disconnected(reason);
    });
  }

  return {
    async connect(concurrency) {
      let next = 0;
      let ok = 0;
      let failed = 0;
      let firstError: string | null = null;
      const one = (bot: Bot) =>
        new Promise<void>((resolve) => {
          bot.socket.once('connect', () => {
            ok++;
            resolve();
          });
          bot.socket.once('connect_error', (error) => {
            failed++;
            firstError ??= error.message;
            resolve();
          });
          bot.socket.connect();
        });
      const lane = async () => {
        for (let bot = bots[next++]; bot !== undefined; bot = bots[next++]) await one(bot);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, bots.length) }, lane));
      return { ok, failed, firstError };
    },

    join(startAt, rate) {
      const latenciesMs: number[] = [];
      let errors = 0;
      let firstError: string | null = null;
      return new Promise((resolve) => {
        let pending = bots.length;
        const settle = () => {
          if (--pending === 0) resolve({ latenciesMs, errors, firstError });
        };
        if (pending === 0) resolve({ latenciesMs, errors, firstError });
        for (const bot of bots) {
          const at = startAt + (bot.spec.order * 1000) / rate;
          setTimeout(
            () => {
              const sent = performance.now();
              let timedOut = false;
              const timer = setTimeout(() => {
                timedOut = true;
                errors++;
                firstError ??= `no join ack within ${JOIN_ACK_TIMEOUT_MS} ms`;
                settle();
              }, JOIN_ACK_TIMEOUT_MS);
              bot.socket.emit('room:join', { roomId: bot.spec.roomId, name: botName(bot.spec) }, (ack: JoinAck) => {
                clearTimeout(timer);
                if (!ack.ok) {
                  if (timedOut) return;
                  errors++;
                  firstError ??= ack.error.code;
                  settle();
                  return;
                }
                // A late ack is an error for the latency, but the server admitted the bot:
                // the others signal to it, so it takes part (and knows its own id).
                if (!timedOut) latenciesMs.push(performance.now() - sent);
                bot.selfId = ack.self.id;
                for (const peer of ack.peers) learn(peer);
                for (const peer of ack.peers) meet(bot, peer.id);
                checkDone(bot);
                if (!timedOut) settle();
              });
            },
            Math.max(0, at - Date.now()),
          );
        }
      });
    },

    reset() {
      for (const bot of bots) {
        bot.done = false;
        bot.heard = new Map();
        bot.sentTo = new Map();
        bot.receivedFrom = new Map();
      }
    },

    storm() {
      for (const bot of bots) {
        if (bot.selfId === null) continue;
        for (const peerId of bot.offersTo) send(bot, peerId, 'offer');
      }
      // A bot alone in its room has nothing to hear: done at once.
      for (const bot of bots) checkDone(bot);
    },

    incomplete: () => bots.filter((bot) => !bot.done).length,
    pendingOffers: () => pendingOffers,

    disconnectedIds: () =>
      bots.flatMap((bot) => (bot.lostConnection !== null && bot.selfId !== null ? [bot.selfId] : [])),

    betweenConnected(disconnected) {
      let sent = 0;
      let received = 0;
      for (const bot of bots) {
        if (bot.lostConnection !== null) continue;
        for (const [peerId, n] of bot.sentTo) if (!disconnected.has(peerId)) sent += n;
        for (const [peerId, n] of bot.receivedFrom) if (!disconnected.has(peerId)) received += n;
      }
      return { sent, received };
    },

    describeIncomplete() {
      const bot = bots.find((b) => !b.done);
      if (!bot) return null;
      const heard = [...bot.heard.values()].map((c) => `${c.descriptions}d${c.candidates}c`).join(',');
      return `bot ${bot.spec.order}: joined=${bot.selfId !== null} offered to ${bot.offersTo.size}/${bot.spec.expectPeers}, heard from ${bot.heard.size} [${heard}]`;
    },

    close() {
      for (const bot of bots) bot.socket.disconnect();
    },
  };
}
