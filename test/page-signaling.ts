// The page's signaling client (client/signaling.ts) run in Node against a real server, as a
// page runs it: what it was told (statuses, with a refusal's error, and its join ack), and a
// wait for what it is told next. For the tests of what the page does on its own: a refused
// join asked again (signaling-room-full.test.ts), a cut connection back (signaling-cut.test.ts).
import { createSignaling, type JoinedAck, type Signaling, type SignalingStatus } from '../client/signaling.ts';
import type { ProtocolError } from '../protocol/signaling.ts';

/** Generous: a deadline on a shared machine, not a speed bound. */
export const DEADLINE_MS = 20_000;

/**
 * The page's signaling client in `room` under `name`, and what it was told. With `keepTicket`
 * it joins again with the ticket of its last join, as a page keeps it (client/storage.ts).
 */
export function page(
  t: { after(fn: () => void): void },
  url: string,
  room: string,
  name: string,
  { keepTicket = false } = {},
) {
  const statuses: Array<{ status: SignalingStatus; error?: ProtocolError }> = [];
  const waiters: Array<() => void> = [];
  let joined: JoinedAck | null = null;
  const resume = () => (keepTicket ? joined?.resume : undefined);
  const signaling: Signaling = createSignaling({ roomId: room, name: () => name, resume, url });
  t.after(() => signaling.close());
  signaling.attach(
    {
      onJoined(ack) {
        joined = ack;
      },
      onPeerJoined() {},
      onPeerLeft() {},
      onPeerRenamed() {},
      onNameTaken: () => false,
      onSignal() {},
      onStatus(status, error) {
        statuses.push(error === undefined ? { status } : { status, error });
        for (const wake of waiters.splice(0)) wake();
      },
    },
    () => name,
  );
  /** Resolves once `count` statuses have been told, the last one `last` if given (rejects past the deadline). */
  const told = (count: number, last?: SignalingStatus) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`statuses: ${statuses.map((s) => s.status)}`)), DEADLINE_MS);
      const check = () => {
        if (statuses.length >= count && (last === undefined || statuses.at(-1)?.status === last)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { signaling, statuses, told, joined: () => joined };
}
