/** 32-bit FNV-1a's offset basis and prime (also used byte by byte by the CSV reader). */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * The string hash of hash buckets, feature crosses and out-of-vocabulary buckets: 32-bit FNV-1a
 * over the string's UTF-8 bytes, as an unsigned integer. It is part of the TransformGraph format
 * (changing it changes every hashed feature), so it is fixed here and documented.
 */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      continue;
    }
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    } else if (code >= 0xd800 && code < 0xe000) {
      code = 0xfffd; // a lone surrogate encodes as U+FFFD, as TextEncoder does
    }
    const bytes =
      code < 0x800
        ? [0xc0 | (code >> 6), 0x80 | (code & 0x3f)]
        : code < 0x10000
          ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          : [
              0xf0 | (code >> 18),
              0x80 | ((code >> 12) & 0x3f),
              0x80 | ((code >> 6) & 0x3f),
              0x80 | (code & 0x3f),
            ];
    for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The bucket of a string among `numBuckets`: `fnv1a32(text) % numBuckets`. */
export function hashBucket(text: string, numBuckets: number): number {
  return fnv1a32(text) % numBuckets;
}
