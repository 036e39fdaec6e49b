// The page's debug and test handle, window.roomlink: what the end-to-end tests and the
// benchmarks read of a running page (its links, counts, receipts) and the few things they
// do through it (a private line, files). Separate from main.ts because it is a surface for
// tools, not part of the page's wiring: it only reads what main.ts made, once all of it exists.
import type { MediaQuality } from '../calls/stats.ts';
import type { Chat } from '../features/chat.ts';
import type { Edits } from '../features/edits.ts';
import type { Files } from '../features/files.ts';
import type { History } from '../features/history.ts';
import type { Reactions } from '../features/reactions.ts';
import type { Receipt, Receipts } from '../features/receipts.ts';
import { linkCounters } from '../link.ts';
import type { Mesh } from '../mesh.ts';
import { selectedPath } from '../path.ts';
import type { Relay } from '../relay.ts';
import type { Attention } from '../view/attention.ts';
import type { LinesView } from '../view/lines.ts';

// Debug and test handle (stable: the e2e tests and benchmarks use it).
declare global {
  interface Window {
    roomlink: {
      selfId(): string | null;
      closeAll(): void;
      selectedPair(peerId: string): Promise<{ local: string; remote: string } | null>;
      pending(peerId: string): number;
      links(): Array<Record<string, string | boolean>>;
      counters(): { created: number; iceRestarts: number; stalls: number; longestStallMs: number };
      /** Sends a private line to one member; its id, or null when it cannot be sent. */
      sendPrivate(peerId: string, text: string): string | null;
      /** History for late joiners: what was asked, received and how it was checked. */
      history(): ReturnType<History['counts']>;
      /** Reactions: states dropped for a bad signature, and taken on a relaying member's word. */
      reactions(): ReturnType<Reactions['counts']>;
      /** Edits and deletions: taken, and dropped by reason (features/edits.ts). */
      edits(): ReturnType<Edits['counts']>;
      receipt(lineId: string): Receipt | null;
      notified(): { count: number; last: { title: string; body: string } | null };
      /** Sends files to the room, or to one member (by peer id); resolves to the transfer ids. */
      sendFiles(files: File[], to?: string): Promise<string[]>;
      callStats(peerId: string): Promise<MediaQuality | null>;
      /** One line per transceiver of the link to this member: mid, kind, directions, tracks. */
      transceivers(peerId: string): string[];
      /** Relaying through members: what went through relays, and what was refused. */
      relay(): ReturnType<Relay['stats']>;
      /** Chat lines kept: on the page, and off it above (view/scrollback.ts). */
      lines(): ReturnType<LinesView['counts']>;
    };
  }
}

/** What the handle reads and does: the page's own objects, as main.ts made them. */
export interface DebugHandleParts {
  selfId(): string | null;
  mesh: Mesh;
  chat: Chat;
  history: History;
  reactions: Reactions;
  edits: Edits;
  receipts: Receipts;
  attention: Attention;
  files: Files;
  relay: Relay;
  lines: LinesView;
  sendLine(text: string, to?: string): string | null;
  callQuality(peerId: string): Promise<MediaQuality | null>;
}

export function exposeDebugHandle(parts: DebugHandleParts): void {
  const { mesh } = parts;
  window.roomlink = {
    selfId: () => parts.selfId(),
    closeAll: () => mesh.closeAll('ERR_PAGE_CLOSED'),
    async selectedPair(peerId) {
      const pc = mesh.member(peerId)?.pc;
      const path = pc ? selectedPath(await pc.getStats()) : null;
      return path ? { local: path.local, remote: path.remote } : null;
    },
    pending: (peerId) => parts.chat.pending(mesh.member(peerId)),
    counters: () => ({ ...linkCounters }),
    sendPrivate: (peerId, text) => parts.sendLine(text, peerId),
    history: () => parts.history.counts(),
    reactions: () => parts.reactions.counts(),
    edits: () => parts.edits.counts(),
    receipt: (lineId) => parts.receipts.receipt(lineId),
    notified: () => parts.attention.notified(),
    sendFiles(picked, to) {
      const member = to === undefined ? null : mesh.member(to);
      if (member === undefined) return Promise.reject(new Error(`no member ${to}`));
      return parts.files.sendFiles(picked, member);
    },
    callStats: (peerId) => parts.callQuality(peerId),
    relay: () => parts.relay.stats(),
    lines: () => parts.lines.counts(),
    transceivers: (peerId) =>
      (mesh.member(peerId)?.pc.getTransceivers() ?? []).map(
        (t) =>
          `${t.mid} ${t.receiver.track.kind} ${t.direction}/${t.currentDirection} send=${t.sender.track?.readyState ?? 'none'} recv=${t.receiver.track.muted ? 'muted' : 'flowing'} device=${t.sender.track?.getSettings().deviceId ?? 'none'}`,
      ),
    links: () =>
      mesh.members().map((m) => {
        const pc = mesh.member(m.id)?.pc;
        return {
          id: m.id,
          name: m.name,
          state: m.state,
          signaling: pc?.signalingState ?? '',
          connection: pc?.connectionState ?? '',
          ice: pc?.iceConnectionState ?? '',
          gathering: pc?.iceGatheringState ?? '',
          remote: Boolean(pc?.currentRemoteDescription),
        };
      }),
  };
}
