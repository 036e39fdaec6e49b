// Our outgoing media on one member's RTCPeerConnection. Each kind (audio, video) uses one
// transceiver for the life of the connection: joining again, switching camera or sharing a
// screen swaps the sender's track instead of adding m-lines, so the SDP and the number of
// transceivers stay bounded however often someone joins, leaves or shares.
//
// The first attach of a kind uses addTrack, not addTransceiver: when both sides add a track
// at the same moment, perfect negotiation rolls the polite side back, and only a transceiver
// made by addTrack is then matched to the other side's m-line (webrtc-pc, "set the remote
// description", step "find a transceiver created by addTrack") instead of adding a second one.

export type MediaKind = 'audio' | 'video';

/** Our senders on one connection (kept in the member's call slot). */
export interface Senders {
  readonly pc: RTCPeerConnection;
  readonly byKind: Map<MediaKind, RTCRtpSender>;
}

export function createSenders(pc: RTCPeerConnection): Senders {
  return { pc, byKind: new Map() };
}

/** A transceiver of this kind whose sender is free: reused instead of adding another. */
function freeTransceiver(pc: RTCPeerConnection, kind: MediaKind): RTCRtpTransceiver | undefined {
  return pc
    .getTransceivers()
    .find(
      (t) =>
        !isStopped(t) &&
        t.receiver.track.kind === kind &&
        t.sender.track === null &&
        (t.direction === 'recvonly' || t.direction === 'inactive'),
    );
}

function isStopped(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.currentDirection === 'stopped' || transceiver.direction === 'stopped';
}

function transceiverOf(pc: RTCPeerConnection, sender: RTCRtpSender): RTCRtpTransceiver | undefined {
  return pc.getTransceivers().find((t) => t.sender === sender);
}

/**
 * Sends `track` as this connection's track of its kind (replacing what was sent). The
 * direction change, if any, fires negotiationneeded: perfect negotiation does the rest.
 */
export async function sendTrack(senders: Senders, track: MediaStreamTrack, stream: MediaStream): Promise<void> {
  const { pc } = senders;
  if (pc.signalingState === 'closed') return;
  const kind = track.kind as MediaKind;
  const known = senders.byKind.get(kind);
  const transceiver = known ? transceiverOf(pc, known) : freeTransceiver(pc, kind);
  if (!transceiver || isStopped(transceiver)) {
    senders.byKind.set(kind, pc.addTrack(track, stream));
    return;
  }
  senders.byKind.set(kind, transceiver.sender);
  if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
  // Closed while the track was being replaced (the member left).
  if ((pc.signalingState as RTCSignalingState) === 'closed') return;
  transceiver.sender.setStreams?.(stream);
  if (transceiver.direction !== 'sendrecv') transceiver.direction = 'sendrecv';
}

/**
 * Stops sending on this connection: every kind (hang up), or one kind (a screen share ends
 * for someone who joined without a camera). The transceivers stay, for reuse.
 */
export function stopSending(senders: Senders, kind?: MediaKind): void {
  const { pc } = senders;
  if (pc.signalingState === 'closed') return;
  for (const [senderKind, sender] of senders.byKind) {
    if (kind !== undefined && senderKind !== kind) continue;
    // removeTrack clears the sender's track and drops "send" from the direction.
    if (sender.track !== null && transceiverOf(pc, sender)) pc.removeTrack(sender);
  }
}
