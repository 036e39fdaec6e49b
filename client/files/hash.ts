// SHA-256 of a whole file, computed incrementally: WebCrypto's digest() takes the whole
// input at once, which for a large file means holding it in memory. @noble/hashes is
// plain JavaScript (no WebAssembly, so the page's CSP needs no 'wasm-unsafe-eval').
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Bytes read and hashed per step before an offer: small, so chat runs between steps. */
const HASH_READ_BYTES = 256 * 1024;

export interface Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex, as file:offer carries it. Call once. */
  hex(): string;
}

export function createHasher(): Hasher {
  const state = sha256.create();
  return {
    update: (bytes) => void state.update(bytes),
    hex: () => bytesToHex(state.digest()),
  };
}

/** Reads the file slice by slice (never whole), reporting bytes hashed so far. */
export async function hashFile(
  file: Blob,
  progress: (done: number) => void = () => {},
  cancelled: () => boolean = () => false,
): Promise<string | null> {
  const hasher = createHasher();
  for (let offset = 0; offset < file.size; offset += HASH_READ_BYTES) {
    if (cancelled()) return null;
    const end = Math.min(file.size, offset + HASH_READ_BYTES);
    hasher.update(new Uint8Array(await file.slice(offset, end).arrayBuffer()));
    progress(end);
  }
  return hasher.hex();
}
