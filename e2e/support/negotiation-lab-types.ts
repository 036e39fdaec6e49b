// The contract between e2e/negotiation.spec.ts and the page it drives
// (e2e/pages/negotiation-lab.ts): plain data, no DOM types, so both sides can import it.

export type SideName = 'a' | 'b';

/** What the test reads of one side of the lab's link. */
export interface SideState {
  signalingState: string;
  connectionState: string;
  channelState: string;
  /** The mids of the current local description, in m-line order. */
  localMids: string[];
  remoteMids: string[];
  transceivers: number;
  /** The ICE username fragments of the current local and remote descriptions. */
  localUfrag: string;
  remoteUfrag: string;
  /** Channel messages received, in order. */
  received: string[];
  /** What the negotiator reported as failed (onFailure), as "stage: message". */
  failures: string[];
}

export interface NegotiationLab {
  /** A fresh pair of connections (closing the previous pair), negotiating at once. */
  start(): void;
  /** Lose everything this side sends, as over a dropped socket, until mended. */
  cutPipe(name: SideName, isCut: boolean): void;
  /** Hold what this side sends (a slow signaling path) until released, then deliver it in order. */
  holdPipe(name: SideName): void;
  releasePipe(name: SideName): void;
  /**
   * What the calls feature does on a link once its channel is open (client/features/calls-sending.ts,
   * with client/calls/senders.ts).
   */
  prepareMedia(name: SideName): void;
  /** What sending a screen next to the camera does the first time: one video track, by addTrack. */
  addTrack(name: SideName): void;
  restartIce(name: SideName): void;
  send(name: SideName, text: string): void;
  state(name: SideName): SideState;
}
