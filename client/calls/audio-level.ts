// How loud a member's audio was since we last looked, for the speaking indicator, from the
// receiver's statistics (inbound-rtp totalAudioEnergy and totalSamplesDuration, webrtc-stats).
//
// Not from getSynchronizationSources(): that call is synchronous and waits for WebRTC's own
// thread; on two cores busy with video it held the page's main thread for 1.1 s and 4.6 s
// (a trace of the calls bench's joiner at N = 4). getStats() is asynchronous. And energy
// accumulates: the level over the whole interval catches a 20 ms beep however slow the
// poll, where the last packet's level is a sample that misses most short sounds.

export interface EnergySample {
  /** Sum of (level² × seconds) over all audio received so far. */
  energy: number;
  /** Seconds of audio received so far. */
  duration: number;
}

/** The RMS level (0..1) of the audio received between two samples; 0 when none arrived. */
export function levelBetween(before: EnergySample | null, after: EnergySample): number {
  if (before === null) return 0;
  const seconds = after.duration - before.duration;
  if (!(seconds > 0)) return 0;
  const level = Math.sqrt(Math.max(0, after.energy - before.energy) / seconds);
  return Number.isFinite(level) ? Math.min(1, level) : 0;
}

/** The receiver's audio energy counters, or null (no audio received yet, or no such stats). */
export async function energyOf(receiver: RTCRtpReceiver): Promise<EnergySample | null> {
  const report = await receiver.getStats().catch(() => null);
  if (!report) return null;
  for (const stats of report.values() as IterableIterator<Record<string, unknown>>) {
    if (stats['type'] !== 'inbound-rtp' || stats['kind'] !== 'audio') continue;
    const energy = stats['totalAudioEnergy'];
    const duration = stats['totalSamplesDuration'];
    if (typeof energy === 'number' && typeof duration === 'number') return { energy, duration };
  }
  return null;
}
