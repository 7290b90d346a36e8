// The inverse of record/standard-tiles.ts's encodeEntryBundle: a tlog-tiles entry
// bundle is each entry after its length as a big-endian uint16.

export class BundleFormatError extends Error {}

export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new BundleFormatError(`entry bundle: a length prefix is cut off at byte ${at}`);
    const n = (bytes[at] << 8) | bytes[at + 1];
    if (at + 2 + n > bytes.length) throw new BundleFormatError(`entry bundle: entry ${out.length} claims ${n} bytes, ${bytes.length - at - 2} remain`);
    out.push(bytes.subarray(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return out;
}
