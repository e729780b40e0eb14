import { gunzipSync } from 'node:zlib';

// Reads one regular file out of a tar.gz in memory. The release archives we unpack are small (a few
// tens of MB) and hold a handful of files, so this avoids depending on the host's tar flavour.

const BLOCK = 512;
const field = (header: Uint8Array, start: number, length: number) =>
  Buffer.from(header.subarray(start, start + length))
    .toString('utf8')
    .replace(/\0.*$/s, '');

/** The bytes of `member` (a path such as `linux-amd64/helm`), or undefined when the archive lacks it. */
export function extractMember(archive: Uint8Array, member: string): Uint8Array | undefined {
  const tar = gunzipSync(archive);
  const wanted = member.replace(/^\.\//, '');
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return undefined;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = Buffer.from(body).toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      longName = /\d+ path=([^\n]*)\n/.exec(Buffer.from(body).toString('utf8'))?.[1] ?? longName;
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if ((type === '0' || type === '\0') && name.replace(/^\.\//, '') === wanted) return body;
  }
  return undefined;
}
