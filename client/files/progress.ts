// Progress of one transfer as the line shows it: bytes done of total, speed and time left,
// at most PROGRESS_INTERVAL_MS apart (four times a second) however fast chunks arrive.
/**
 * Updates closer together than this are dropped (the last one, at completion, never is).
 * Each one lays out and paints the line on both pages, whose main threads also take the
 * transfer's chunks and the chat: ten a second cost more than a bar moving smoothly is worth.
 */
export const PROGRESS_INTERVAL_MS = 250;
/** No progress for this long while transferring: the line says the transfer is stalled (stall-watch.ts). */
export const STALL_MS = 5_000;
/** Weight of the newest sample in the smoothed speed. */
const SPEED_SMOOTHING = 0.3;

export interface ProgressSnapshot {
  done: number;
  total: number;
  /** Bytes per second, smoothed; 0 until two samples exist. */
  speed: number;
  /** Seconds left at that speed, or null while unknown. */
  secondsLeft: number | null;
  /** Nothing came for STALL_MS: no speed, no time left, and the words say so. */
  stalled?: true;
}

export interface ProgressMeter {
  /**
   * A snapshot to show, or null when the previous one is too recent: then the `trailing`
   * callback, if any, gets one once the interval is over, unless an update gave one first.
   */
  update(done: number): ProgressSnapshot | null;
}

export interface ProgressMeterOptions {
  now?: () => number;
  /**
   * Gets the update that was dropped last, once the meter allows it. Without it, bytes that
   * came in a burst shorter than the interval and then stopped (a full send window, a dead
   * spot) were never shown: the line kept the burst's first figure, and no speed.
   */
  trailing?: (snapshot: ProgressSnapshot) => void;
}

export function createProgressMeter(total: number, options: ProgressMeterOptions = {}): ProgressMeter {
  const now = options.now ?? (() => performance.now());
  let lastAt: number | null = null;
  let lastDone = 0;
  let speed = 0;
  /** The last update dropped since a snapshot was given, for `trailing`. */
  let dropped: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function later(wait: number): void {
    const { trailing } = options;
    if (!trailing || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      if (dropped === null) return;
      // Dropped again if the timer came early by the meter's clock: update() waits anew.
      const snapshot = update(dropped);
      if (snapshot) trailing(snapshot);
    }, wait);
  }

  function update(done: number): ProgressSnapshot | null {
    const at = now();
    const finished = done >= total;
    if (lastAt !== null && at - lastAt < PROGRESS_INTERVAL_MS && !finished) {
      dropped = done;
      later(lastAt + PROGRESS_INTERVAL_MS - at);
      return null;
    }
    dropped = null;
    // Not held for nothing: the callback's closure may hold a whole file.
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (lastAt !== null && at > lastAt && done >= lastDone) {
      const sample = ((done - lastDone) * 1000) / (at - lastAt);
      speed = speed === 0 ? sample : speed + SPEED_SMOOTHING * (sample - speed);
    }
    lastAt = at;
    lastDone = done;
    const secondsLeft = finished ? 0 : speed > 0 ? (total - done) / speed : null;
    return { done, total, speed, secondsLeft };
  }
  return { update };
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatProgress(snapshot: ProgressSnapshot): string {
  const parts = [`${formatBytes(snapshot.done)} of ${formatBytes(snapshot.total)}`];
  if (snapshot.stalled) return [...parts, 'stalled'].join(' · ');
  if (snapshot.speed > 0) parts.push(`${formatBytes(snapshot.speed)}/s`);
  if (snapshot.secondsLeft !== null && snapshot.secondsLeft > 0)
    parts.push(`${formatDuration(snapshot.secondsLeft)} left`);
  return parts.join(' · ');
}

/** "45 s", "4 min 5 s", "1 h 3 min": rounded up first, so 299.5 s is "5 min 0 s", never "4 min 60 s". */
export function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  const minutes = Math.ceil(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
