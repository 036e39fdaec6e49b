// The ICE servers each peer gets with its join ack. STUN URLs go out as they are. TURN gets
// either static credentials or short-lived ones by the TURN REST scheme that coturn's
// use-auth-secret checks: username "<unix expiry>:<peer id>", credential
// base64(HMAC-SHA1(secret, username)). The shared secret itself never leaves the server;
// a leaked credential stops working at its expiry.
import { createHmac } from 'node:crypto';
import type { IceServer } from '../protocol/signaling.ts';
import type { Config } from './config.ts';

export type IceSettings = Pick<
  Config,
  'stunUrls' | 'turnUrls' | 'turnTtl' | 'turnSecret' | 'turnUsername' | 'turnCredential'
>;

export interface IceGrant {
  iceServers: IceServer[];
  /** Unix time (s) when the TURN credentials stop working; 0 when nothing expires. */
  iceExpiresAt: number;
}

export function turnRestCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function buildIceServers(settings: IceSettings, peerId: string, nowMs: number): IceGrant {
  const iceServers: IceServer[] = [];
  let iceExpiresAt = 0;
  if (settings.stunUrls.length > 0) iceServers.push({ urls: [...settings.stunUrls] });
  if (settings.turnUrls.length > 0) {
    if (settings.turnSecret !== undefined) {
      iceExpiresAt = Math.floor(nowMs / 1000) + settings.turnTtl;
      const username = `${iceExpiresAt}:${peerId}`;
      iceServers.push({
        urls: [...settings.turnUrls],
        username,
        credential: turnRestCredential(settings.turnSecret, username),
      });
    } else if (settings.turnUsername !== undefined && settings.turnCredential !== undefined) {
      iceServers.push({
        urls: [...settings.turnUrls],
        username: settings.turnUsername,
        credential: settings.turnCredential,
      });
    }
  }
  return { iceServers, iceExpiresAt };
}
