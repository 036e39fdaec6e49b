// The call benchmark pages' record and handle, without DOM types: Node reads them too
// (bench/browser/calls.ts).

export interface CallsRecord {
  /** When this page's join button was clicked, or null. */
  clickAt: number | null;
  /** Remote member id → when its first video frame was shown on this page. */
  firstFrame: Record<string, number>;
}

export interface CallsPageApi {
  /** This page is in the call (its media is open). */
  inCall(): boolean;
  /** Members this page knows to be in the call, itself included. */
  callCount(): number;
  /** Links to this many members are up. */
  ready(peers: number): boolean;
  /**
   * The links to this many members can carry a call's media with no renegotiation: on
   * roomlink's page, their audio and video m-lines are negotiated (a link gets them once a
   * call is on in the room); the bare page negotiates at its click, so always.
   */
  mediaReady(peers: number): boolean;
  selfId(): string | null;
  record(): CallsRecord;
}
