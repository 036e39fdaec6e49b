// How a call tile goes full screen in this browser. The tile itself (picture and caption)
// where elements can (requestFullscreen); only its <video>, in the system's own player, on an
// iPhone, whose Safari has no element full screen but plays a <video> full screen
// (webkitEnterFullscreen); nowhere else. The tile's button is offered only where one works:
// on an iPhone it did nothing when tapped.

/** What this module reads of a tile's root (an HTMLElement). */
export interface FullScreenRoot {
  requestFullscreen?: () => Promise<void>;
}
/** What this module reads of a tile's <video>: Safari's prefixed method, not in the DOM's types. */
interface SafariVideo {
  webkitEnterFullscreen?: () => void;
}

/** The way to put this tile full screen, or null where the browser has none. */
export function fullScreenWay(
  root: FullScreenRoot,
  video: object,
  fullscreenEnabled: boolean | undefined,
): (() => void) | null {
  const request = root.requestFullscreen;
  // Not allowed here (an iframe without allowfullscreen): the request would only fail.
  if (typeof request === 'function' && fullscreenEnabled !== false) {
    return () => void request.call(root).catch(() => undefined);
  }
  const enter = (video as SafariVideo).webkitEnterFullscreen;
  if (typeof enter === 'function') {
    return () => {
      try {
        enter.call(video);
      } catch {
        // No frame yet (Safari throws InvalidStateError): nothing to show full screen.
      }
    };
  }
  return null;
}
