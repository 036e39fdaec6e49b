// What members' react:syncs say of lines not shown yet, unchecked, by line and member: a
// sync comes when a link opens, and after our reload that is often before the lines it is
// about (a received file's line comes back once its stored copy is found, a file still
// waiting for an answer once its sender offers it again). Checked when the line shows
// (reactions-received.ts): a signature check is paid only for lines this page shows. A
// member's next sync replaces what its last one left here (each carries its latest
// MAX_REACTION_SYNC changes), so a member holds at most that many.
import { createSlot, type MemberHandle } from '../feature.ts';
import type { ReactionChange } from './reactions-checks.ts';
import { lineKey } from './transcript.ts';

export function createSyncedReactions() {
  /** The lines a member's last sync left changes for here. */
  const linesSlot = createSlot('reactions:synced', () => new Set<string>());
  const synced = new Map<string, Map<MemberHandle, ReactionChange[]>>();

  /** Forgets what this member's syncs left for lines not shown. */
  function drop(member: MemberHandle): void {
    const keys = member.slot(linesSlot);
    for (const key of keys) {
      const byMember = synced.get(key);
      byMember?.delete(member);
      if (byMember?.size === 0) synced.delete(key);
    }
    keys.clear();
  }

  return {
    drop,
    /** What a sync says of lines not shown yet, kept for them (replacing the member's last). */
    keep(member: MemberHandle, changes: readonly ReactionChange[]): void {
      drop(member);
      const keys = member.slot(linesSlot);
      for (const change of changes) {
        const key = lineKey(change.author, change.id);
        const byMember = synced.get(key) ?? new Map<MemberHandle, ReactionChange[]>();
        byMember.set(member, [...(byMember.get(member) ?? []), change]);
        synced.set(key, byMember);
        keys.add(key);
      }
    },
    /** What members' syncs said of this line, by member, no longer kept. */
    take(author: string, id: string): [MemberHandle, ReactionChange[]][] {
      const key = lineKey(author, id);
      const fromSyncs = [...(synced.get(key) ?? [])];
      synced.delete(key);
      for (const [member] of fromSyncs) member.slot(linesSlot).delete(key);
      return fromSyncs;
    },
  };
}
