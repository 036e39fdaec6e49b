// The browser's microphones and cameras: whether the page may ask for any at all, and which
// there are to pick from.
import type { MediaKind } from './senders.ts';

/** A microphone or camera the user can pick. */
export interface DeviceChoice {
  kind: MediaKind;
  deviceId: string;
  label: string;
}

/** The microphones and cameras there are (labels only once a permission was given). */
export async function listDevices(): Promise<DeviceChoice[]> {
  const devices = mediaDevices();
  if (!devices?.enumerateDevices) return [];
  const found = await devices.enumerateDevices().catch(() => []);
  const counts = { audio: 0, video: 0 };
  const out: DeviceChoice[] = [];
  for (const device of found) {
    const kind = device.kind === 'audioinput' ? 'audio' : device.kind === 'videoinput' ? 'video' : null;
    if (kind === null || device.deviceId === '') continue;
    counts[kind]++;
    const fallback = `${kind === 'audio' ? 'Microphone' : 'Camera'} ${counts[kind]}`;
    out.push({ kind, deviceId: device.deviceId, label: device.label || fallback });
  }
  return out;
}

/** Media needs a secure context: over plain http on a LAN address this is undefined. */
export function mediaDevices(): MediaDevices | null {
  return typeof navigator !== 'undefined' && navigator.mediaDevices ? navigator.mediaDevices : null;
}
