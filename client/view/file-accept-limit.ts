// The "ask before receiving files over" field: the size, in MB, above which a received file
// waits for Accept; kept in this browser (storage.ts).
import { loadFileLimitMb, saveFileLimitMb } from '../storage.ts';
import { byTestId } from './dom.ts';

/** Default of the "ask before receiving files over" field, in MB. */
const DEFAULT_ACCEPT_LIMIT_MB = 100;

/**
 * The field, showing what it was last set to in this browser, and kept as it changes. What
 * this returns reads it: bytes above which a received file waits for accept.
 */
export function createAcceptLimit(): () => number {
  const limitInput = byTestId<HTMLInputElement>('file-accept-limit');
  // A setting, kept as the relay's are: it went back to 100 MB with every reload.
  const savedLimit = loadFileLimitMb();
  if (savedLimit !== undefined) limitInput.value = String(savedLimit);
  /** The field's MB, or null while it holds none (empty, or not a size). */
  const limitMb = (): number | null => {
    const mb = limitInput.valueAsNumber;
    return Number.isFinite(mb) && mb >= 0 ? mb : null;
  };
  limitInput.addEventListener('input', () => {
    const mb = limitMb();
    if (mb !== null) saveFileLimitMb(mb);
  });
  return () => (limitMb() ?? DEFAULT_ACCEPT_LIMIT_MB) * 1_000_000;
}
