// The socket's typed event maps, declared once: the server is Server<ClientToServerEvents,
// ServerToClientEvents, InterServerEvents, SocketData>, the page Socket<ServerToClientEvents,
// ClientToServerEvents>. Types are not validation: every payload is still parsed.
import type { ProtocolError } from './signaling-errors.ts';
import type {
  CutNotice,
  IceRefreshAck,
  IncomingSignal,
  JoinAck,
  JoinRequest,
  OutgoingSignal,
  PeerInfo,
  PeerJoined,
  PeerLeft,
  RenameAck,
  RenameRequest,
  SeatFreed,
} from './signaling-payloads.ts';

export interface ClientToServerEvents {
  'room:join': (request: JoinRequest, ack: (response: JoinAck) => void) => void;
  signal: (signal: OutgoingSignal) => void;
  'room:leave': () => void;
  /** Change one's display name; the server checks it like a join's and tells the room. */
  'room:rename': (request: RenameRequest, ack: (response: RenameAck) => void) => void;
  /** Fresh TURN credentials before the ones from the join ack expire. */
  'ice:refresh': (ack: (response: IceRefreshAck) => void) => void;
}

/**
 * Every event a client may send, declared once: `satisfies` fails the build if an event of
 * ClientToServerEvents is missing here or one is named that it lacks. The server's event
 * check, rate-limit keys and metric labels all derive from it.
 */
const CLIENT_EVENT_TABLE = {
  'room:join': true,
  signal: true,
  'room:leave': true,
  'room:rename': true,
  'ice:refresh': true,
} as const satisfies Record<keyof ClientToServerEvents, true>;

export type ClientEvent = keyof typeof CLIENT_EVENT_TABLE;
export const CLIENT_EVENTS = Object.keys(CLIENT_EVENT_TABLE) as readonly ClientEvent[];

export function isClientEvent(name: unknown): name is ClientEvent {
  return typeof name === 'string' && Object.hasOwn(CLIENT_EVENT_TABLE, name);
}

export interface ServerToClientEvents {
  'peer:joined': (peer: PeerJoined) => void;
  'peer:left': (left: PeerLeft) => void;
  signal: (signal: IncomingSignal) => void;
  error: (error: ProtocolError) => void;
  /** The server is shutting down; reconnect in a moment (to another node if there is one). */
  'server:shutdown': () => void;
  /**
   * This connection is being cut off for sending too much, too fast (its guard): the
   * disconnect follows. Connect again no sooner than `retryAfterMs` from now.
   */
  'server:cut': (notice: CutNotice) => void;
  /** A member's name changed (the server accepted it): the only source of names. */
  'peer:renamed': (peer: PeerInfo) => void;
  /**
   * A seat has just freed in the room this connection was last refused from as full: ask
   * again now rather than at the end of the wait. Sent only to connections refused as full
   * and not seated since; others may ask too, so a join may still be refused.
   */
  'room:seat-freed': (notice: SeatFreed) => void;
}

/** Events between server nodes through an adapter (serverSideEmit); parsed like any other input. */
export interface InterServerEvents {
  /**
   * The sender wrote its members of these rooms back to Redis after Redis was unreachable for
   * them (an outage, a Cluster shard down), and announced them to the rooms: each node that
   * has members there announces its own too, so that members who joined apart meet, and then
   * answers (the sender asks again until every node has; room-mending.ts).
   */
  'rooms:written-back': (roomIds: string[], answer: (announced: boolean) => void) => void;
}

/**
 * What the server keeps on a socket (socket.data): set once the join is admitted, empty
 * otherwise. Who is in a room across nodes is the membership store's, not this.
 */
export interface SocketData {
  roomId?: string;
  peerId?: string;
  name?: string;
  /** When the connection last sent anything (ms since the epoch, its node's clock). */
  heardAt?: number;
  /**
   * The peer id whose room:leave was read, from the moment it was read: a disconnect before
   * the leave is done (read in the same packet batch, or while the revocation awaits Redis)
   * is that goodbye, not a lost connection. Keyed by the id, it needs no reset: a later join
   * on this connection gets a new one.
   */
  leaving?: string;
}
