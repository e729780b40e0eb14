import { createHash } from 'node:crypto';

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The sha256 a checksum file gives for `asset`. Three layouts occur upstream: a bare hash (kubectl's
 * `.sha256`), one `shasum` line (kind's and helm's `.sha256sum`) and a list of them (goreleaser's
 * checksums.txt). A `shasum` line counts only when its file name is the asset's.
 */
export function checksumFor(text: string, asset: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim().toLowerCase();
    if (HEX64.test(line)) return line;
    const [hash, name] = line.split(/\s+\*?/, 2);
    if (hash && name && HEX64.test(hash) && name.split('/').pop() === asset.toLowerCase()) return hash;
  }
  return undefined;
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
