// What a tile's "quality" shows, read from getStats: the incoming video's resolution,
// frame rate, bitrate and packet loss, and how many frames were decoded (the e2e tests and
// the bench watch that number rise). Bitrate needs two readings: the previous one is kept
// per connection.

export interface MediaQuality {
  width: number;
  height: number;
  fps: number;
  framesDecoded: number;
  /** kbit/s since the previous reading (null on the first). */
  kbps: number | null;
  /** Lost / expected packets of the incoming video, in percent. */
  lossPercent: number;
}

interface Reading {
  bytes: number;
  at: number;
}

const previous = new WeakMap<RTCPeerConnection, Reading>();

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The incoming video's quality on this connection, or null while none arrives. */
export async function incomingVideoQuality(pc: RTCPeerConnection): Promise<MediaQuality | null> {
  const report = await pc.getStats();
  let best: Record<string, unknown> | null = null;
  report.forEach((entry: Record<string, unknown>) => {
    if (entry.type !== 'inbound-rtp' || entry.kind !== 'video') return;
    // After a renegotiation an older stream may linger: the one with most frames counts.
    if (!best || num(entry.framesDecoded) > num(best.framesDecoded)) best = entry;
  });
  const video = best as Record<string, unknown> | null;
  if (!video) return null;
  const bytes = num(video.bytesReceived);
  const at = num(video.timestamp);
  const before = previous.get(pc);
  previous.set(pc, { bytes, at });
  const kbps = before && at > before.at ? Math.round(((bytes - before.bytes) * 8) / (at - before.at)) : null;
  const lost = num(video.packetsLost);
  const received = num(video.packetsReceived);
  return {
    width: num(video.frameWidth),
    height: num(video.frameHeight),
    fps: Math.round(num(video.framesPerSecond)),
    framesDecoded: num(video.framesDecoded),
    kbps,
    lossPercent: lost + received > 0 ? Math.round((lost / (lost + received)) * 1000) / 10 : 0,
  };
}

export function describeQuality(quality: MediaQuality | null): string {
  if (!quality) return 'no video arriving';
  const rate = quality.kbps === null ? '' : ` · ${quality.kbps} kbit/s`;
  return `${quality.width}×${quality.height} · ${quality.fps} fps${rate} · ${quality.lossPercent}% lost`;
}
