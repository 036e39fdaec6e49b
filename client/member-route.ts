// A member's path through another member while there is no direct link: relay-route.ts
// chooses the route, and the member uses it only while it may (see RouteOptions.usable). The
// direct link is preferred whenever it works: traffic moves back to it as soon as it does.
import type { ChannelMessage } from '../protocol/index.ts';

/** A path to a member through another member, while there is no direct one (relay.ts). */
export interface RelayRoute {
  /** The member that carries our messages. */
  readonly relayId: string;
  readonly relayName: string;
  /** Our round trip to the relay plus the relay's to the member, when both are known. */
  readonly rttMs: number | null;
  /** Seals one message for the member and hands it to the relay; false when it cannot go now. */
  send(message: ChannelMessage): boolean;
  readonly writable: boolean;
}

export interface MemberRouteOptions {
  /**
   * The route may carry our messages now: the member's announced keys are proven (what
   * sealing needs), it is not held, and the direct link is not ready.
   */
  usable(): boolean;
  /** Features hear the member is open (through the route): what waited for it may go now. */
  opened(): void;
  /** The relay or its round trip changed (the member list shows them). */
  changed(): void;
}

export interface MemberRoute {
  /** The route our messages take now, or null (none chosen, or it may not be used). */
  readonly inUse: RelayRoute | null;
  /** The route relay-route.ts chose (null: none). */
  set(next: RelayRoute | null): void;
  /** Tells the features the member is open through the route, once per relay. */
  tellOpened(): void;
  /** The member is disposed: no route any more. */
  clear(): void;
}

export function createMemberRoute(options: MemberRouteOptions): MemberRoute {
  let route: RelayRoute | null = null;
  /** Features were told the member is open through this relay (by id). */
  let openedVia: string | null = null;

  const inUse = (): RelayRoute | null => (route !== null && options.usable() ? route : null);

  /** Through a new relay (or the first): what waited for this member may go now. */
  function tellOpened(): void {
    const using = inUse();
    if (using === null || openedVia === using.relayId) return;
    openedVia = using.relayId;
    options.opened();
  }

  return {
    get inUse() {
      return inUse();
    },
    set(next) {
      const before = route;
      route = next;
      if (next === null) openedVia = null;
      tellOpened();
      if (before?.relayId !== next?.relayId || before?.rttMs !== next?.rttMs) options.changed();
    },
    tellOpened,
    clear() {
      route = null;
    },
  };
}
