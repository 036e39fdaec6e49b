// Inviting people: Copy link everywhere, the system share sheet where the browser has one
// (Web Share API), and a QR code of the whole link — room key included — for a phone's
// camera. The QR matrix comes from uqr (a maintained encoder); only the drawing is ours.
import { encode } from 'uqr';
import { byTestId, SVG_NS } from './dom.ts';

/** The blank margin a QR code needs around it to be found by a scanner (ISO 18004: 4 modules). */
const QUIET_ZONE_MODULES = 4;
/** M recovers 15% damage: enough for a screen photographed at an angle, still a small code. */
const QR_ERROR_CORRECTION = 'M';
/** How long a button shows its confirmation ("Copied") before its label comes back. */
const FLASH_MS = 1_500;

export interface ShareView {
  setLink(url: string): void;
  /** Nothing to invite anyone to (a link whose room id is malformed): copy, share and QR off. */
  disable(): void;
}

/** Says a short confirmation to screen readers (a polite live region). */
export type Announce = (message: string) => void;

export function createShareView(announce: Announce): ShareView {
  const shareLink = byTestId<HTMLInputElement>('share-link');
  const copyButton = byTestId<HTMLButtonElement>('copy-button');
  const shareButton = byTestId<HTMLButtonElement>('share-button');
  const qrButton = byTestId<HTMLButtonElement>('qr-button');
  const qrDialog = document.getElementById('qr-dialog') as HTMLDialogElement;
  const qrHolder = document.getElementById('qr-code') as HTMLElement;
  let link = '';
  /** The link the QR code in the dialog shows: drawn when the dialog opens, not at boot. */
  let drawn = '';

  copyButton.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(link);
      flash(copyButton, 'Copied');
      announce('Link copied');
    } catch {
      // No Clipboard API (insecure context, permissions): select it for the user to copy.
      shareLink.focus();
      shareLink.select();
      flash(copyButton, 'Press Ctrl+C');
    }
  });
  shareLink.addEventListener('focus', () => shareLink.select());

  shareButton.addEventListener('click', async () => {
    try {
      await navigator.share({ title: 'roomlink', text: 'Join me in this roomlink chat', url: link });
    } catch {
      // The person closed the share sheet (AbortError) or it failed: Copy link still works.
    }
  });

  qrButton.addEventListener('click', () => {
    // Encoding takes tens of ms of the page's first second when done at every setLink;
    // most visitors never open the dialog.
    if (drawn !== link) qrHolder.replaceChildren(qrSvg(link));
    drawn = link;
    qrDialog.showModal();
  });
  // A click on the backdrop (outside the dialog's box) closes it, as people expect.
  qrDialog.addEventListener('click', (event) => {
    if (event.target === qrDialog && outside(qrDialog.getBoundingClientRect(), event)) qrDialog.close();
  });

  function flash(button: HTMLButtonElement, text: string): void {
    const original = button.dataset.label ?? button.textContent ?? '';
    button.dataset.label = original;
    button.textContent = text;
    setTimeout(() => {
      button.textContent = original;
    }, FLASH_MS);
  }

  let disabled = false;
  return {
    setLink(url) {
      link = url;
      shareLink.value = url;
      shareButton.hidden = disabled || !canShare(url);
      if (qrDialog.open) {
        qrHolder.replaceChildren(qrSvg(url));
        drawn = url;
      }
    },
    disable() {
      disabled = true;
      copyButton.disabled = true;
      qrButton.disabled = true;
      shareButton.hidden = true;
      if (qrDialog.open) qrDialog.close();
    },
  };
}

function canShare(url: string): boolean {
  if (typeof navigator.share !== 'function') return false;
  return typeof navigator.canShare !== 'function' || navigator.canShare({ url });
}

function outside(box: DOMRect, event: MouseEvent): boolean {
  return event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
}

/**
 * The link as an SVG QR code: one path for every dark module, on a white square with the
 * quiet zone. Dark on white in dark mode too: scanners expect it. Built with DOM calls, so
 * no markup is parsed and no inline style is needed (the CSP forbids both).
 */
export function qrSvg(text: string): SVGSVGElement {
  const qr = encode(text, { ecc: QR_ERROR_CORRECTION, border: 0 });
  const side = qr.size + 2 * QUIET_ZONE_MODULES;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR code of the link to this room');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.testid = 'qr-code';
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG_NS, 'path');
  modules.setAttribute('fill', '#000');
  modules.setAttribute('d', modulesPath(qr.data));
  svg.append(background, modules);
  return svg;
}

/** One `M x y h1 v1 h-1 z` square per dark module, offset by the quiet zone. */
function modulesPath(rows: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  rows.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + QUIET_ZONE_MODULES} ${y + QUIET_ZONE_MODULES}h1v1h-1z`);
    });
  });
  return parts.join('');
}
