// Each member's name by its peer id, as it is now: ours, one here (its member object's), or one
// gone as it left (or, for a reload, as our private lines kept name it: wiring/chat.ts). The one
// answer to "what is this member called" for everything on the page that names a member by id
// (wiring/names.ts hands it on); how a name is drawn there (its twin's tag, "(earlier)") and what
// is drawn again when it changes are names.ts's.
import { dropOldest } from './bounded.ts';
import type { Mesh } from './mesh.ts';
import { MAX_LINES } from './view/lines-kept.ts';

export interface MemberNamesOptions {
  selfId(): string | null;
  selfName(): string;
  /** The members here, by peer id (bound lazily: the mesh comes later). */
  mesh: Pick<Mesh, 'member'>;
}

export function createMemberNames({ selfId, selfName, mesh }: MemberNamesOptions) {
  /**
   * The name each member gone had when it left: the name its lines and their quotes keep. As
   * many as the page keeps lines (each may be a member's gone since), the newest.
   */
  const gone = new Map<string, string>();
  /** A member's name now: ours, one here, or one gone as it left; null for one this page never had. */
  function nameNow(peerId: string): string | null {
    if (peerId === selfId()) return selfName();
    return mesh.member(peerId)?.name ?? gone.get(peerId) ?? null;
  }
  return {
    nameNow,
    /** A member's name now (nameNow); 'Someone' for one this page never had. */
    nameOf: (peerId: string): string => nameNow(peerId) ?? 'Someone',
    /** A member is here (joined, back under its id, renamed): named as its member object is, no longer as it left. */
    here(peerId: string): void {
      gone.delete(peerId);
    },
    /** A member left under `name`, or (a reload) is gone and our kept private lines name it so. */
    left(peerId: string, name: string): void {
      gone.delete(peerId);
      gone.set(peerId, name);
      dropOldest(gone, MAX_LINES);
    },
  };
}

export type MemberNames = ReturnType<typeof createMemberNames>;
