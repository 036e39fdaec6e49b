// A member's current link and how it stands: made with this pair's roles (roles.ts) and the
// page's link configuration, replaced by a fresh one when the member asks (a link that never
// opened starts over, a failed proof's fresh try, the other side's new session), stopped for
// good when the member is held. Every event of a replaced link is dropped here, so the member
// hears only its current link.
import type { ChannelMessage } from '../protocol/index.ts';
import type { Link, LinkFactory, LinkState, UnreachableReason } from './link.ts';
import type { MemberProblem } from './member-problems.ts';
import type { SignalBody } from './negotiation.ts';
import { type PathInfo, samePath } from './path.ts';
import { rolesFor } from './roles.ts';
import { mark } from './timeline.ts';

/** Everything about links that is the same for every member (ICE servers, wording). */
export interface LinkConfig {
  createLink: LinkFactory;
  rtcConfig(): RTCConfiguration;
  beforeRestart(): Promise<void>;
  unreachableReason(lastIceError: string | null): UnreachableReason;
}

/** The current link's events that the member acts on (link.ts LinkEvents), with the link they came on. */
export interface CurrentLinkEvents {
  open(on: Link): void;
  message(on: Link, message: ChannelMessage, size: number): void;
  /** A message that did not parse, with its size as received (link.ts LinkEvents.malformed). */
  malformed(size: number): void;
  drain(): void;
  closed(on: Link): void;
  silent(): void;
  heard(on: Link): void;
  /** True when a feature took the channel; otherwise it is closed. */
  dataChannel(channel: RTCDataChannel): boolean;
  track(event: RTCTrackEvent): void;
}

export interface MemberLinkOptions {
  selfId: string;
  id: string;
  config: LinkConfig;
  sendSignal(to: string, body: SignalBody): void;
  disposed(): boolean;
  /** Its state changed (the member list shows it). */
  changed(): void;
  events: CurrentLinkEvents;
}

export interface MemberLink {
  readonly link: Link;
  readonly state: LinkState;
  /** Why the link is unreachable (from the link itself), or null. */
  readonly problem: MemberProblem | null;
  readonly path: PathInfo | null;
  /** The member's current link, while the member lives: what an older link does is void. */
  current(candidate: Link): boolean;
  receiveSignal(body: SignalBody): void;
  /** Closes the link and makes a fresh one, connecting from the start. */
  replace(): void;
  /** The member is held: its link is closed, unreachable, and not made again. */
  stop(): void;
  /** Reads the path of a connected link; true when it changed (link.ts, samePath). */
  refreshPath(): Promise<boolean>;
  close(): void;
}

export function createMemberLink(options: MemberLinkOptions): MemberLink {
  const { id, events } = options;
  let state: LinkState = 'connecting';
  let problem: MemberProblem | null = null;
  let path: PathInfo | null = null;

  const current = (candidate: Link): boolean => !options.disposed() && candidate === link;

  function makeLink(): Link {
    mark('link-made', id);
    const { createLink, rtcConfig, beforeRestart, unreachableReason } = options.config;
    const made: Link = createLink({
      ...rolesFor(options.selfId, id),
      rtcConfig,
      beforeRestart,
      unreachableReason,
      events: {
        // Every event of a replaced link is dropped: `made !== link` once it is replaced.
        signal(body) {
          if (!current(made)) return;
          mark(body.description ? `sent-${body.description.type}` : 'sent-candidate', id);
          options.sendSignal(id, body);
        },
        state(next, reason) {
          if (!current(made)) return;
          state = next;
          mark(`link-${next}`, id);
          problem = next === 'unreachable' ? reason : null;
          options.changed();
        },
        open() {
          if (!current(made)) return;
          mark('channel-open', id);
          events.open(made);
        },
        message: (message, size) => current(made) && events.message(made, message, size),
        malformed: (size) => current(made) && events.malformed(size),
        drain: () => current(made) && events.drain(),
        closed: () => current(made) && events.closed(made),
        silent: () => current(made) && events.silent(),
        heard: () => current(made) && events.heard(made),
        dataChannel(channel) {
          if (!current(made) || !events.dataChannel(channel)) channel.close();
        },
        track: (event) => current(made) && events.track(event),
      },
    });
    return made;
  }

  let link = makeLink();

  return {
    get link() {
      return link;
    },
    get state() {
      return state;
    },
    get problem() {
      return problem;
    },
    get path() {
      return path;
    },
    current,
    receiveSignal(body) {
      mark(body.description ? `got-${body.description.type}` : 'got-candidate', id);
      link.receive(body);
    },
    replace() {
      link.close();
      state = 'connecting';
      problem = null;
      path = null;
      link = makeLink();
    },
    stop() {
      link.close();
      state = 'unreachable';
    },
    async refreshPath() {
      if (options.disposed() || state !== 'connected') return false;
      const next = await link.path().catch(() => null);
      if (options.disposed() || samePath(path, next)) return false;
      path = next;
      return true;
    },
    close: () => link.close(),
  };
}
