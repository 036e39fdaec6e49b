// A file's preview on its line: nothing received is rendered inline except a raster image,
// decoded by createImageBitmap (only when its header declares a sane size: files/preview.ts)
// and drawn on a canvas, one at a time.
import { PREVIEW_MAX_HEIGHT, PREVIEW_MAX_WIDTH, previewDecoding } from '../files/preview.ts';
import { el } from './dom.ts';

/**
 * Previews are decoded one at a time: each may take up to PREVIEW_MAX_PIXELS × 4 bytes while
 * it decodes, and a member may send several images at once.
 */
let decoding: Promise<void> = Promise.resolve();

/** Decodes the image (a raster format only) and draws a thumbnail; a bad image gets none. */
export function preview(put: (canvas: HTMLElement) => void, file: File): Promise<void> {
  decoding = decoding.then(() => drawPreview(put, file)).catch(() => {});
  return decoding;
}

async function drawPreview(put: (canvas: HTMLElement) => void, file: File): Promise<void> {
  let bitmap: ImageBitmap;
  try {
    const options = await previewDecoding(file);
    if (options === null) return; // not previewed: it stays a download
    bitmap = await createImageBitmap(file, options);
  } catch {
    return; // not an image after all: it stays a download
  }
  const scale = Math.min(1, PREVIEW_MAX_WIDTH / bitmap.width, PREVIEW_MAX_HEIGHT / bitmap.height);
  const canvas = el('canvas', { className: 'file-preview', testId: 'file-preview' });
  // A picture for screen readers too, named by the file (its name is on the page as text).
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Preview of ${file.name}`);
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  put(canvas);
}
