// ICE configuration for every link: the servers from the join ack, TURN credentials renewed
// before they expire, and the plain-words reason a link cannot connect given what the
// configuration offers.
import type { IceServer } from '../protocol/index.ts';
import type { UnreachableReason } from './link.ts';

/** Renew TURN credentials this long before they expire. */
const ICE_REFRESH_MARGIN_S = 300;
/** Never renew more often than this, whatever the server says about expiry. */
const ICE_REFRESH_MIN_MS = 10_000;

export interface IceGrant {
  iceServers: IceServer[];
  /** Unix time (s) after which the TURN credentials stop working; 0 = never. */
  iceExpiresAt: number;
}

export interface IceOptions {
  relayOnly: boolean;
  /** Asks the server for fresh credentials; null when it cannot answer now. */
  refresh(): Promise<IceGrant | null>;
  /** New servers: every live link should take them (setConfiguration). */
  updated(): void;
}

export interface Ice {
  set(grant: IceGrant): void;
  rtcConfig(): RTCConfiguration;
  /** Before an ICE restart: renew credentials that are about to expire. */
  refreshIfExpiring(): Promise<void>;
  unreachableReason(lastIceError: string | null): UnreachableReason;
  stop(): void;
}

export function createIce(options: IceOptions): Ice {
  let grant: IceGrant = { iceServers: [], iceExpiresAt: 0 };
  let timer: ReturnType<typeof setTimeout> | null = null;

  const hasTurn = () => grant.iceServers.some((s) => s.urls.some((u) => /^turns?:/.test(u)));

  async function refreshIfExpiring(): Promise<void> {
    if (grant.iceExpiresAt === 0 || grant.iceExpiresAt - Date.now() / 1000 > ICE_REFRESH_MARGIN_S) return;
    const fresh = await options.refresh();
    if (fresh) set(fresh);
  }

  function set(next: IceGrant): void {
    grant = next;
    // The next renewal is armed before the links are told: should telling them fail, the
    // credentials are still renewed before they expire.
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (next.iceExpiresAt > 0) {
      const inMs = Math.max(ICE_REFRESH_MIN_MS, (next.iceExpiresAt - ICE_REFRESH_MARGIN_S) * 1000 - Date.now());
      timer = setTimeout(() => void refreshIfExpiring(), inMs);
    }
    options.updated();
  }

  return {
    set,
    rtcConfig: () => ({
      iceServers: grant.iceServers.map((s) => ({ ...s })),
      iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
    }),
    refreshIfExpiring,
    unreachableReason(lastIceError) {
      if (options.relayOnly && !hasTurn()) {
        return { code: 'relay-without-turn', text: 'relay-only mode is on, but this server offers no TURN server' };
      }
      if (lastIceError && /\b401\b/.test(lastIceError)) {
        return { code: 'turn-refused', text: `the TURN server refused our credentials: ${lastIceError}` };
      }
      if (!hasTurn()) {
        return {
          code: 'no-turn',
          text: 'no direct path between your networks; they need a TURN server (see README, "Across networks")',
        };
      }
      return {
        code: 'turn-failed',
        text: `no path, not even through the TURN server${lastIceError ? `: ${lastIceError}` : ''}`,
      };
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
