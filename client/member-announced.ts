// The keys a member announced with its join (the server carries them: announce.ts) and what
// their room-key proof showed. Proven, they let us reach the member through a relay (sealing
// needs them) and let history learn its key even if we never link; a check under way is
// waited for by a hello's verdict, so that the two keys are compared before anything takes
// either.
import type { PeerKeys } from '../protocol/index.ts';
import type { Handshake } from './member-proof.ts';
import type { Verification } from './verify.ts';

export interface AnnouncedOptions {
  handshake: Handshake;
  disposed(): boolean;
  /** These keys, still the member's latest, proved the room key. */
  proven(keys: PeerKeys): void;
}

export interface AnnouncedKeys {
  /** Its latest announced keys, proven or not (null: none yet). */
  readonly keys: PeerKeys | null;
  /** What their proof showed ('unverified' while it is checked). */
  readonly check: Verification;
  /** This page can prove the room key, and the announced keys proved it. */
  readonly proven: boolean;
  /** The check of its announced keys while under way, else null. */
  readonly checking: Promise<unknown> | null;
  /** The keys the server says it announced; the same keys again are not checked again. */
  announce(keys: PeerKeys | undefined): void;
}

export function createAnnouncedKeys(options: AnnouncedOptions): AnnouncedKeys {
  const { handshake } = options;
  let announced: PeerKeys | null = null;
  let announcedCheck: Verification = 'unverified';
  let announcing: Promise<unknown> | null = null;

  return {
    get keys() {
      return announced;
    },
    get check() {
      return announcedCheck;
    },
    get proven() {
      return handshake.canProve && announcedCheck === 'verified';
    },
    get checking() {
      return announcing;
    },
    announce(keys) {
      if (options.disposed() || keys === undefined) return;
      if (announced?.sign === keys.sign && announced.ecdh === keys.ecdh && announced.proof === keys.proof) return;
      const mine = keys;
      announced = mine;
      announcedCheck = 'unverified';
      const check = handshake.checkKeys?.(mine) ?? Promise.resolve<Verification>('unverified');
      const checking = check
        .catch(() => null)
        .finally(() => {
          if (announcing === checking) announcing = null;
        });
      announcing = checking;
      void check.then((result) => {
        if (options.disposed() || announced !== mine) return;
        announcedCheck = result;
        if (result === 'verified') options.proven(mine);
      });
    },
  };
}
