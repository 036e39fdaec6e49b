// Our outgoing media on one member's RTCPeerConnection. Once a call is on in the room, a
// link carries one audio and one video transceiver, both sendrecv (prepareMedia, called by
// the calls feature): joining, hanging up, muting, switching camera or sharing a screen is
// then only sender.replaceTrack, which needs no renegotiation at all. No SDP round trip sits
// between a click and the first frame (for everyone but the call's first member), and a
// busy or restarting link cannot hold a call up. A transceiver with no track sends nothing,
// so a member outside the call costs no bandwidth.
//
// Those two m-lines are the link's first offerer's to add; the other side waits for them
// (the calls feature holds its tracks until their track events) and never adds its own: when
// both sides added at once, the polite side's rollback under load left three-member calls
// with muted receivers. addTrack remains only for what the prepared m-lines cannot carry (a
// screen next to the camera; a link whose m-lines were stopped): addTrack and not
// addTransceiver, because if both sides add at once the polite side rolls back and matches
// only addTrack-made transceivers to the other side's m-lines (webrtc-pc, "set the remote
// description") instead of adding more.

export type MediaKind = 'audio' | 'video';
/** What a sender carries: the microphone, the camera (or a screen in its place), or a screen next to the camera. */
export type SenderSlot = MediaKind | 'screen';
const KINDS: readonly MediaKind[] = ['audio', 'video'];

/** Our senders on one connection (kept in the member's call slot). */
export interface Senders {
  readonly pc: RTCPeerConnection;
  readonly byKind: Map<SenderSlot, RTCRtpSender>;
}

export function createSenders(pc: RTCPeerConnection): Senders {
  return { pc, byKind: new Map() };
}

const isStopped = (t: RTCRtpTransceiver): boolean => t.currentDirection === 'stopped' || t.direction === 'stopped';
const sends = (t: RTCRtpTransceiver): boolean => t.direction === 'sendrecv' || t.direction === 'sendonly';

/**
 * The side that made a link's first offer adds one sendrecv transceiver of each kind, once
 * the link's channel is open and a call is on in the room: one renegotiation, after which
 * joining is replaceTrack. Never in the first offer: that exchange stays as small and as
 * well-trodden as a chat-only link's (a retry offer from the other side crossing a first
 * offer with media m-lines got its answer rejected for m-line order, seen here under load).
 */
export function prepareMedia(pc: RTCPeerConnection): void {
  if (pc.signalingState === 'closed' || pc.getTransceivers().length > 0) return;
  for (const kind of KINDS) pc.addTransceiver(kind, { direction: 'sendrecv' });
}

/** The link has a live audio and a live video m-line (a transceiver of each kind, not stopped). */
export function hasMediaLines(pc: RTCPeerConnection): boolean {
  const live = pc.getTransceivers().filter((t) => !isStopped(t));
  return KINDS.every((kind) => live.some((t) => t.receiver.track.kind === kind));
}

/**
 * The answering side: a transceiver the other side's offer made arrives recvonly; turned
 * sendrecv before the answer is made (track events fire before setRemoteDescription
 * resolves), the answer carries it and no renegotiation is needed. One per kind: further
 * m-lines a member adds are left receive-only.
 */
export function acceptMedia(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver): void {
  const kind = transceiver.receiver.track.kind;
  if (isStopped(transceiver) || transceiver.direction !== 'recvonly') return;
  if (pc.getTransceivers().some((t) => t !== transceiver && t.receiver.track.kind === kind && sends(t))) return;
  transceiver.direction = 'sendrecv';
}

/**
 * A transceiver the other side's offer made that we take nothing from (a member adding more
 * than a call has: features/calls-remote-tracks.ts, MAX_REMOTE_TRACKS): made inactive before
 * the answer is made, so the answer turns its media down and the member sends nothing on it.
 * Left receive-only, its RTP would still come in, and be decoded, unseen. One we send on is
 * left as it is.
 */
export function refuseMedia(transceiver: RTCRtpTransceiver): void {
  if (transceiver.direction === 'recvonly') transceiver.direction = 'inactive';
}

/** The senders our other slots hold: a slot never takes another's transceiver, even while it sends nothing. */
function otherSenders(senders: Senders, slot: SenderSlot): Set<RTCRtpSender> {
  return new Set([...senders.byKind].filter(([other]) => other !== slot).map(([, sender]) => sender));
}

/** A transceiver of this kind whose sender is free: reused instead of adding another. */
function freeTransceiver(
  pc: RTCPeerConnection,
  kind: MediaKind,
  taken: ReadonlySet<RTCRtpSender>,
): RTCRtpTransceiver | undefined {
  const free = pc
    .getTransceivers()
    .filter((t) => !isStopped(t) && t.receiver.track.kind === kind && t.sender.track === null && !taken.has(t.sender));
  // One that already sends needs no renegotiation: prefer it.
  return free.find(sends) ?? free.find((t) => t.direction === 'recvonly' || t.direction === 'inactive');
}

function transceiverOf(pc: RTCPeerConnection, sender: RTCRtpSender): RTCRtpTransceiver | undefined {
  return pc.getTransceivers().find((t) => t.sender === sender);
}

/**
 * Sends `track` in its slot on this connection (replacing what the slot sent): by default
 * the slot of its kind; 'screen' is a second video sender, for a screen next to the camera,
 * added (and so renegotiated) the first time only.
 */
export async function sendTrack(
  senders: Senders,
  track: MediaStreamTrack,
  stream: MediaStream,
  slot: SenderSlot = track.kind as MediaKind,
): Promise<void> {
  const { pc } = senders;
  if (pc.signalingState === 'closed') return;
  const kind = track.kind as MediaKind;
  const known = senders.byKind.get(slot);
  const mine = known ? transceiverOf(pc, known) : undefined;
  const transceiver = mine && !isStopped(mine) ? mine : freeTransceiver(pc, kind, otherSenders(senders, slot));
  if (!transceiver) {
    senders.byKind.set(slot, pc.addTrack(track, stream));
    return;
  }
  senders.byKind.set(slot, transceiver.sender);
  if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
  // Closed while the track was being replaced (the member left).
  if ((pc.signalingState as RTCSignalingState) === 'closed') return;
  // A direction change (fallback links only) fires negotiationneeded: perfect negotiation.
  if (!sends(transceiver)) transceiver.direction = 'sendrecv';
}

/**
 * Stops sending on this connection: every kind (hang up), or one kind (a screen share ends
 * for someone who joined without a camera). The transceivers stay as they are, for reuse:
 * a sender without a track sends nothing, and nothing needs renegotiating.
 */
export async function stopSending(senders: Senders, kind?: SenderSlot): Promise<void> {
  for (const [senderKind, sender] of senders.byKind) {
    if (kind !== undefined && senderKind !== kind) continue;
    if (sender.track === null || senders.pc.signalingState === 'closed') continue;
    await sender.replaceTrack(null).catch(() => undefined);
  }
}
