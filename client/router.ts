// Dispatches parsed channel messages by type to the feature that owns the type, and tells
// every feature about member lifecycle events. One map from type to feature, built once.
// Every message a member sends passes its budget here first (budget.ts), whichever
// feature — or the link itself — handles it.
import { BUDGET_RATES, type ChannelMessage, type ChannelMessageType, type ChargedKind } from '../protocol/index.ts';
import { createBudget, type Verdict } from './budget.ts';
import { createSlot, type DisposeReason, type Feature, type MemberHandle, type Route } from './feature.ts';

export interface Router {
  /**
   * Charges a message of this type and size (characters, as received), or a malformed one,
   * or a data channel, to the member's budget: handle it only on 'pass'.
   */
  admit(member: MemberHandle, type: ChargedKind, size: number): Verdict;
  dispatch(member: MemberHandle, message: ChannelMessage, route?: Route): void;
  added(member: MemberHandle): void;
  opened(member: MemberHandle): void;
  drained(member: MemberHandle): void;
  verified(member: MemberHandle): void;
  renamed(member: MemberHandle): void;
  shut(member: MemberHandle): void;
  /** True when some feature took the channel; otherwise it is closed. */
  dataChannel(member: MemberHandle, channel: RTCDataChannel): boolean;
  track(member: MemberHandle, event: RTCTrackEvent): void;
  removed(member: MemberHandle, reason: DisposeReason): void;
}

// Features are declared with their own message types; the router holds them all.
// biome-ignore lint/suspicious/noExplicitAny: a list of features of different message types
type AnyFeature = Feature<any>;

export interface RouterOptions {
  /** The budgets' clock (ms); tests pass their own. */
  now?: () => number;
}

export function createRouter(features: readonly AnyFeature[], options: RouterOptions = {}): Router {
  const budgetSlot = createSlot('budget', () => createBudget(BUDGET_RATES, options.now));
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
    admit: (member, type, size) => (member.disposed ? 'ignore' : member.slot(budgetSlot).admit(type, size)),
    dispatch(member, message, route = 'direct') {
      if (member.disposed) return;
      const feature = owner.get(message.t);
      if (feature) guarded(feature, message.t, () => feature.receive(member, message, route));
    },
    added: (member) => each('added', (f) => f.added?.(member)),
    opened: (member) => each('opened', (f) => f.opened?.(member)),
    drained: (member) => each('drained', (f) => f.drained?.(member)),
    verified: (member) => each('verified', (f) => f.verified?.(member)),
    renamed: (member) => each('renamed', (f) => f.renamed?.(member)),
    shut: (member) => each('shut', (f) => f.shut?.(member)),
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
