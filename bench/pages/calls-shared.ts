// What both call benchmark pages (roomlink's with the calls probe, and the bare calls page)
// record, in the same shape: when "join" was clicked, and when each remote member's first
// video frame was shown (requestVideoFrameCallback on the <video> that shows it). Times are
// timeOrigin + now(), comparable across the pages of one machine (shared.ts).
import type { CallsPageApi, CallsRecord } from './calls-types.ts';
import { now } from './shared.ts';

export type { CallsPageApi, CallsRecord };

declare global {
  interface Window {
    __calls: CallsPageApi;
  }
}

export function createCallsRecord(): CallsRecord {
  return { clickAt: null, firstFrame: {} };
}

/** The button both pages join with (roomlink's test hook); Node clicks it as a user would. */
export const JOIN_BUTTON = '[data-testid="call-join-video"]';

/** Stamps when the join button is clicked: the click event's own time, before any handler. */
export function stampJoinClick(record: CallsRecord): void {
  document.addEventListener(
    'click',
    (event) => {
      if (event.target instanceof Element && event.target.closest(JOIN_BUTTON))
        record.clickAt = performance.timeOrigin + event.timeStamp;
    },
    { capture: true },
  );
}

/** Stamps the first frame this <video> shows as the first frame from `peerId`. */
export function watchFirstFrame(record: CallsRecord, video: HTMLVideoElement, peerId: string): void {
  video.requestVideoFrameCallback(() => {
    if (record.firstFrame[peerId] === undefined) record.firstFrame[peerId] = now();
  });
}

/** What both pages ask the camera for: the same constraints as roomlink (client/calls/local-media-ask.ts). */
export const CAMERA: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { max: 30 } };
