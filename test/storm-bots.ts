// Socket.IO clients that behave like roomlink's browsers on the signaling wire, for the
// fault tests that strike during a renegotiation storm. Each keeps what the app keeps: who
// is in its room (join ack, peer:joined, peer:left) and, per member, whether this round's
// exchange reached it (a description and every candidate). Like the app it answers every
// offer, repairs the link to a member that comes back (peer:joined with resumed) and to
// every member after its own rejoin, and retries a link still incomplete after a while (the
// app's link retry restarts ICE, which offers again). A bot whose node dies reconnects to
// another node and resumes its id there, as the client does through the load balancer.
import type { ResumeTicket } from '../protocol/signaling.ts';
import { type Client, connectClient, joinOk } from './support.ts';

export const CANDIDATES_PER_OFFER = 2;
/** A link still incomplete this long after the bot last offered on it is offered again. */
const RETRY_MS = 1_000;
const JOIN_TIMEOUT_MS = 10_000;

const OFFER_SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n';

interface Heard {
  descriptions: number;
  candidates: number;
}

export interface StormBot {
  readonly roomId: string;
  readonly name: string;
  client: Client;
  url: string;
  id: string;
  resume: ResumeTicket;
  /** The other members as this bot knows them. */
  readonly view: Set<string>;
  /** Per member: what arrived this round (or since the member came back). */
  heard: Map<string, Heard>;
  /** When this bot last offered to each member (for the retry). */
  readonly offeredAt: Map<string, number>;
  /** Times this bot resumed on another node. */
  moves: number;
}

export interface StormRooms {
  readonly bots: StormBot[];
  /** Signals received by every bot since the last storm began. */
  signalsThisRound(): number;
  /** Signals a storm carries when nothing is lost and nothing retried. */
  readonly signalsPerStorm: number;
  /** Every bot offers to every member at once; forgets what was heard before. */
  storm(): void;
  /** Called with the running count on every signal (a test strikes mid-storm from here). */
  onSignal(listener: (count: number) => void): void;
  /** Connects the bot to `url` and resumes its id there; throws if the id changes. */
  move(bot: StormBot, url: string): Promise<void>;
  /**
   * From now on a bot whose connection drops (its node died, or a ping timeout on a loaded
   * machine) reconnects to `urlFor(bot)` and resumes, retrying until it is back, as the app
   * does through the load balancer.
   */
  reconnectTo(urlFor: (bot: StormBot) => string): void;
  /** Has every member of its room (and only those) and heard from each this round. */
  complete(bot: StormBot): boolean;
  /** Same, restricted to the members on its own node (what a node without Redis can do). */
  completeOnOwnNode(bot: StormBot): boolean;
  describeIncomplete(): string;
  close(): void;
}

function heardAll(heard: Heard | undefined): boolean {
  return heard !== undefined && heard.descriptions >= 1 && heard.candidates >= CANDIDATES_PER_OFFER;
}

/**
 * `rooms` rooms of `size` members; member m of each room connects to urls[m % urls.length],
 * so every room spans every node.
 */
export async function createStormRooms(
  urls: readonly string[],
  rooms: number,
  size: number,
  roomId: () => string,
): Promise<StormRooms> {
  const bots: StormBot[] = [];
  let signals = 0;
  const signalListeners: Array<(count: number) => void> = [];

  const send = (bot: StormBot, to: string, type: 'offer' | 'answer'): void => {
    if (type === 'offer') bot.offeredAt.set(to, Date.now());
    bot.client.emit('signal', { to, description: { type, sdp: OFFER_SDP } });
    for (let n = 0; n < CANDIDATES_PER_OFFER; n++) {
      bot.client.emit('signal', {
        to,
        candidate: { candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${9000 + n} typ host` },
      });
    }
  };

  let reconnectUrl: ((bot: StormBot) => string) | null = null;
  let closed = false;

  const comeBack = async (bot: StormBot): Promise<void> => {
    while (!closed && reconnectUrl !== null) {
      try {
        await move(bot, reconnectUrl(bot));
        return;
      } catch (error) {
        // Its old entry may still be held for a moment, or the node is slow: try again.
        if (error instanceof Error && error.message.includes('came back as')) {
          console.error(error.message); // it stays incomplete: the test fails saying so
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };

  const wire = (bot: StormBot, client: Client): void => {
    client.on('disconnect', () => {
      if (bot.client === client && !closed && reconnectUrl !== null) void comeBack(bot);
    });
    client.on('signal', (signal) => {
      if (bot.client !== client) return;
      signals++;
      const heard = bot.heard.get(signal.from) ?? { descriptions: 0, candidates: 0 };
      bot.heard.set(signal.from, heard);
      if (signal.description) {
        heard.descriptions++;
        if (signal.description.type === 'offer') send(bot, signal.from, 'answer');
      } else if (signal.candidate) {
        heard.candidates++;
      }
      for (const listener of signalListeners) listener(signals);
    });
    client.on('peer:joined', (peer) => {
      if (bot.client !== client) return;
      bot.view.add(peer.id);
      if (peer.resumed) {
        // It came back, perhaps having lost what we sent: this link is renegotiated.
        bot.heard.delete(peer.id);
        send(bot, peer.id, 'offer');
      }
    });
    client.on('peer:left', (left) => {
      if (bot.client !== client) return;
      bot.view.delete(left.id);
      bot.heard.delete(left.id);
    });
  };

  for (let r = 0; r < rooms; r++) {
    const room = roomId();
    for (let m = 0; m < size; m++) {
      const url = urls[m % urls.length] as string;
      const client = await connectClient(url);
      const name = `Bot ${r}.${m}`;
      const ack = await joinOk(client, room, name);
      const bot: StormBot = {
        roomId: room,
        name,
        client,
        url,
        id: ack.self.id,
        resume: ack.resume,
        view: new Set(ack.peers.map((p) => p.id)),
        heard: new Map(),
        offeredAt: new Map(),
        moves: 0,
      };
      wire(bot, client);
      bots.push(bot);
    }
  }

  async function move(bot: StormBot, url: string): Promise<void> {
    const client = await connectClient(url);
    bot.client = client;
    bot.url = url;
    // The room as the new join sees it: its ack, and whoever is announced meanwhile.
    bot.view.clear();
    bot.heard = new Map();
    wire(bot, client);
    // A join may wait on a loaded machine: longer than the helpers' usual 2 s.
    const ack = await client
      .timeout(JOIN_TIMEOUT_MS)
      .emitWithAck('room:join', { roomId: bot.roomId, name: bot.name, resume: bot.resume });
    if (!ack.ok) throw new Error(`${bot.name} could not rejoin: ${ack.error.code}`);
    if (ack.self.id !== bot.id) throw new Error(`${bot.name} came back as ${ack.self.id}, not ${bot.id}`);
    bot.resume = ack.resume;
    bot.moves++;
    for (const peer of ack.peers) bot.view.add(peer.id);
    // Back on signaling: every link is repaired (the app's sync after a rejoin).
    for (const peer of bot.view) send(bot, peer, 'offer');
  }

  const roomOf = new Map<string, StormBot[]>();
  for (const bot of bots) roomOf.set(bot.roomId, [...(roomOf.get(bot.roomId) ?? []), bot]);
  const others = (bot: StormBot): StormBot[] => (roomOf.get(bot.roomId) ?? []).filter((b) => b !== bot);

  const complete = (bot: StormBot): boolean => {
    const expected = others(bot);
    if (bot.view.size !== expected.length || expected.some((o) => !bot.view.has(o.id))) return false;
    return expected.every((o) => heardAll(bot.heard.get(o.id)));
  };

  // The app's link retry: an incomplete link is offered on again after a while.
  const retry = setInterval(() => {
    const now = Date.now();
    for (const bot of bots) {
      if (!bot.client.connected) continue;
      for (const peer of bot.view) {
        if (!heardAll(bot.heard.get(peer)) && now - (bot.offeredAt.get(peer) ?? 0) >= RETRY_MS) {
          send(bot, peer, 'offer');
        }
      }
    }
  }, RETRY_MS / 4);

  return {
    bots,
    signalsThisRound: () => signals,
    // Every member offers to every other and answers every offer: from each other member
    // it hears an offer, an answer and their candidates.
    signalsPerStorm: rooms * size * (size - 1) * 2 * (1 + CANDIDATES_PER_OFFER),
    storm() {
      signals = 0;
      for (const bot of bots) bot.heard = new Map();
      for (const bot of bots) for (const peer of bot.view) send(bot, peer, 'offer');
    },
    onSignal(listener) {
      signalListeners.push(listener);
    },
    move: (bot, url) => move(bot, url),
    reconnectTo(urlFor) {
      reconnectUrl = urlFor;
      for (const bot of bots) if (!bot.client.connected) void comeBack(bot);
    },
    complete,
    completeOnOwnNode(bot) {
      return others(bot)
        .filter((o) => o.url === bot.url)
        .every((o) => bot.view.has(o.id) && heardAll(bot.heard.get(o.id)));
    },
    describeIncomplete() {
      const stuck = bots.filter((bot) => !complete(bot));
      const first = stuck[0];
      if (!first) return 'all complete';
      const missing = others(first).map((o) => {
        const heard = first.heard.get(o.id);
        return `${o.name}${first.view.has(o.id) ? '' : ' (not in view)'}: ${heard ? `${heard.descriptions}d${heard.candidates}c` : 'nothing'}`;
      });
      return `${stuck.length} bots incomplete; ${first.name} on ${first.url}: ${missing.join(', ')}`;
    },
    close() {
      closed = true;
      clearInterval(retry);
      for (const bot of bots) bot.client.disconnect();
    },
  };
}
