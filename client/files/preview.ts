// Whether a received image is previewed, and how it is decoded: only when its header declares
// a sane number of pixels (image-size.ts), and then at the size of the preview. Its bytes are
// small next to what they decode to: a 0.5 MB PNG may declare 23,000 × 23,000 pixels, 2 GB
// as RGBA, and four of them at once took Chromium to 6.6 GB.
import { isPreviewableType } from '../../protocol/index.ts';
import { readImageSize } from './image-size.ts';

/** Larger files are offered for download without a preview (reading them costs too). */
export const PREVIEW_MAX_BYTES = 20 * 1024 * 1024;
/**
 * Images declaring more pixels than this get no preview: 200 MB once decoded as RGBA (the
 * browser may decode at full size whatever size is asked for). Phone cameras save at most
 * 48–50 MP at full resolution; a bomb declares hundreds or thousands.
 */
export const PREVIEW_MAX_PIXELS = 50_000_000;
export const PREVIEW_MAX_WIDTH = 240;
export const PREVIEW_MAX_HEIGHT = 180;
/**
 * Bytes read for the header. A JPEG's frame header follows its metadata segments (EXIF with
 * a thumbnail, ICC profiles: 64 KiB each at most, rarely more than a few); one that comes
 * later gets no preview.
 */
export const HEADER_BYTES = 256 * 1024;

/**
 * How to decode `file` for its preview: createImageBitmap's options, or null for no preview
 * (not a raster type, too large, a header that cannot be read or declares too many pixels).
 */
export async function previewDecoding(file: Blob): Promise<ImageBitmapOptions | null> {
  if (!isPreviewableType(file.type) || file.size > PREVIEW_MAX_BYTES) return null;
  let header: Uint8Array;
  try {
    header = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  } catch {
    return null;
  }
  const size = readImageSize(header);
  if (size === null || size.width * size.height > PREVIEW_MAX_PIXELS) return null;
  return previewResize(size.width, size.height);
}

/**
 * Resize options that bring a width × height image (as its header declares it) within the
 * preview. Only the short side is given, the other follows the image's aspect ratio: the
 * browser applies EXIF orientation before resizing, and for a turned image two given sides
 * would squash it, while one bounds both sides by the preview's in either orientation.
 */
export function previewResize(width: number, height: number): ImageBitmapOptions {
  const scale = Math.min(1, PREVIEW_MAX_WIDTH / width, PREVIEW_MAX_HEIGHT / height);
  if (scale === 1) return {};
  const side = (length: number) => Math.max(1, Math.round(length * scale));
  const quality = { resizeQuality: 'medium' } as const;
  // A strip so thin its short side comes to under a pixel: one pixel would stretch the other
  // side past the preview, so both are given (a turned one is squashed; it is a strip).
  if (Math.min(width, height) * scale < 1) return { resizeWidth: side(width), resizeHeight: side(height), ...quality };
  return width >= height ? { resizeHeight: side(height), ...quality } : { resizeWidth: side(width), ...quality };
}
