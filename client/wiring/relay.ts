// Relaying through members, for two members who cannot link directly (relay.ts): made with the
// user's settings (relay-settings.ts); what comes through a relay goes to the features by the
// router, and a refused message is said in the chat. Separate from main.ts because it is one
// feature with its settings; the rest of the page only refreshes and stops it.
import type { Announcement } from '../announce.ts';
import { isolate } from '../isolate.ts';
import type { Mesh } from '../mesh.ts';
import { createRelay, refusalText } from '../relay.ts';
import type { Router } from '../router.ts';
import type { OwnId } from './own-id.ts';
import { createRelaySettings } from './relay-settings.ts';

export interface RelayWiringOptions {
  ownId: Pick<OwnId, 'orEmpty'>;
  announcement: Pick<Announcement, 'seal' | 'open'>;
  /** Says a line in the chat about a member. */
  say(text: string, about: string): void;
  /** Parts made after the relay, reached only when called (once main.ts has run). */
  later(): { mesh: Pick<Mesh, 'objects' | 'object'>; router: Pick<Router, 'dispatch' | 'drained'> };
}

export function wireRelay({ ownId, announcement, say, later }: RelayWiringOptions) {
  const relaySettings = createRelaySettings();
  const relay = createRelay({
    selfId: ownId.orEmpty,
    members: () => later().mesh.objects(),
    member: (id) => later().mesh.object(id),
    enabled: relaySettings.enabled,
    rate: relaySettings.rate(),
    announcement,
    // Charged already, to its author's budget through that relay (relay-inbox.ts): never its own.
    deliver: (from, message) => later().router.dispatch(from, message, 'relayed'),
    drained: (member) => later().router.drained(member),
    refused: (from, via, why) => say(refusalText(isolate(from.name), isolate(via.name), why), from.id),
  });
  return {
    relay,
    /** Binds the settings' inputs on the page: a change goes to the relay at once. */
    bindSettings: () => relaySettings.bind(relay),
  };
}
