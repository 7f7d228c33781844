// A fingerprint of a frame's display bytes, so that identical frames (a cine loop's still parts,
// a multi-frame sheet) are read by OCR once.

/** 53 bits of two FNV-1a variants over the 8-bit view: equal hashes are taken as identical frames. */
export function frameHash(data: Uint8Array): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ data.length;
  for (let i = 0; i < data.length; i++) {
    a = Math.imul(a ^ data[i], 0x01000193);
    b = Math.imul(b ^ data[i], 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}
