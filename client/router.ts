// Dispatches parsed channel messages by type to the feature that owns the type, and tells
// every feature about member lifecycle events. One map from type to feature, built once.
import type { ChannelMessage, ChannelMessageType } from '../protocol/index.ts';
import type { DisposeReason, Feature, MemberHandle } from './feature.ts';

export interface Router {
  dispatch(member: MemberHandle, message: ChannelMessage): void;
  added(member: MemberHandle): void;
  opened(member: MemberHandle): void;
  drained(member: MemberHandle): void;
  verified(member: MemberHandle): void;
  renamed(member: MemberHandle): void;
  /** True when some feature took the channel; otherwise it is closed. */
  dataChannel(member: MemberHandle, channel: RTCDataChannel): boolean;
  track(member: MemberHandle, event: RTCTrackEvent): void;
  removed(member: MemberHandle, reason: DisposeReason): void;
}

// Features are declared with their own message types; the router holds them all.
// biome-ignore lint/suspicious/noExplicitAny: a list of features of different message types
type AnyFeature = Feature<any>;

export function createRouter(features: readonly AnyFeature[]): Router {
  const owner = new Map<ChannelMessageType, AnyFeature>();
  for (const feature of features) {
    for (const type of feature.types) {
      const taken = owner.get(type);
      if (taken) throw new Error(`message type ${type} claimed by both ${taken.name} and ${feature.name}`);
      owner.set(type, feature);
    }
  }

  /** A throwing feature must not take the others (or the link) down with it. */
  const guarded = (feature: AnyFeature, hook: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      console.error(`roomlink: feature ${feature.name} failed in ${hook}`, error);
    }
  };
  const each = (hook: string, run: (feature: AnyFeature) => void) => {
    for (const feature of features) guarded(feature, hook, () => run(feature));
  };

  return {
    dispatch(member, message) {
      if (member.disposed) return;
      const feature = owner.get(message.t);
      if (feature) guarded(feature, message.t, () => feature.receive(member, message));
    },
    added: (member) => each('added', (f) => f.added?.(member)),
    opened: (member) => each('opened', (f) => f.opened?.(member)),
    drained: (member) => each('drained', (f) => f.drained?.(member)),
    verified: (member) => each('verified', (f) => f.verified?.(member)),
    renamed: (member) => each('renamed', (f) => f.renamed?.(member)),
    dataChannel(member, channel) {
      for (const feature of features) {
        let taken = false;
        guarded(feature, 'dataChannel', () => {
          taken = feature.dataChannel?.(member, channel) ?? false;
        });
        if (taken) return true;
      }
      return false;
    },
    track: (member, event) => each('track', (f) => f.track?.(member, event)),
    removed: (member, reason) => each('removed', (f) => f.removed?.(member, reason)),
  };
}
