// Salesforce-style record ids: 15 case-sensitive characters (3-character key prefix,
// 2-character instance, then a base-62 counter) plus the 3-character case checksum that
// makes the 18-character form case-insensitive.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const INSTANCE = 'Pl';
/** Counters start high so ids look like a mature org's, not `...000001`. */
const COUNTER_BASE = 15_000_000;

function base62(value: number, width: number): string {
  let text = '';
  let rest = value;
  do {
    text = BASE62[rest % 62] + text;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return text.padStart(width, '0');
}

function caseChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15[chunk * 5 + i];
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** The `sequence`-th record with key prefix `prefix` (e.g. '006' for Opportunity). */
export function salesforceId(prefix: string, sequence: number): string {
  const id15 = prefix + INSTANCE + base62(COUNTER_BASE + sequence, 10);
  return id15 + caseChecksum(id15);
}
