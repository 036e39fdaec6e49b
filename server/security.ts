// HTTP security headers (helmet) with a strict Content-Security-Policy: the page is one
// script file and stylesheets of our own, with no inline script or style anywhere
// (public/index.html; the client sets text with textContent and styles through classes).
// connect-src names ws:/wss: of the page's own host explicitly: 'self' covers same-origin
// WebSockets only in browsers that implement CSP Level 3 on that point.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** A Host header we are willing to echo into a header: a name or [v6], and a port. */
const SAFE_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

function ownWebSockets(req: IncomingMessage, _res: ServerResponse): string {
  const host = req.headers.host;
  return host !== undefined && SAFE_HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        // No blob: or data: here: a received image is previewed by decoding it with
        // createImageBitmap and drawing it on a canvas (never an <img> of a peer's bytes), and
        // a received file is offered as an <a download href="blob:…">, which no CSP directive
        // governs (e2e/files.spec.ts downloads one under this policy).
        'img-src': ["'self'"],
        // An audio file's player (client/view/file-audio.ts) plays an object URL of the verified
        // file: blob: URLs are our own origin's, made by our page, and nothing else is media
        // here (a call's video and sound are streams, srcObject, which CSP does not govern).
        'media-src': ['blob:'],
        'connect-src': ["'self'", ownWebSockets],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // No upgrade-insecure-requests: the page is often reached over plain http on a LAN
        // address, where upgrading its subresources to https would break it.
      },
    },
    // With helmet's Cross-Origin-Opener-Policy (same-origin) this makes the page
    // cross-origin isolated: no other site's document shares its process or browsing context
    // group, and nothing from another origin loads into it unless that origin agrees (there
    // is nothing: every file is ours). It also gives the page the browser's precise clock
    // (5 µs in Chromium instead of 100 µs), which the benchmark reads a line's latency with
    // (the bare page's is ~0.5 ms, of which 0.1 ms steps were a fifth).
    crossOriginEmbedderPolicy: { policy: 'require-corp' },
    // TLS, when there is any, is the tunnel's or the proxy's business, not ours.
    strictTransportSecurity: false,
    // Clickjacking: frame-ancestors above, and X-Frame-Options for old browsers.
    xFrameOptions: { action: 'deny' },
  });
}
