/**
 * Char classes by UTF-16 code, shared by the scan layer (scan.ts, compiled.ts) and the scan core's JS
 * side (wasm/index.ts, which scan.ts imports, so it cannot import them from there).
 */

/** An ASCII letter or digit (any code past ASCII is neither). */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

/** An ASCII letter. */
export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

/** Each code's 7-bit gram code, ASCII letters lower-cased: non-ASCII c is (c·31 + 7) & 127. */
export const FOLD7 = new Uint8Array(65536)
for (let c = 0; c < 65536; c++) FOLD7[c] = c < 128 ? (c >= 65 && c <= 90 ? c + 32 : c) : (c * 31 + 7) & 127
FOLD7[0x212a] = 107 // KELVIN SIGN lower-cases to ASCII 'k'
FOLD7[0x130] = 105 // 'İ' lower-cases to 'i' + U+0307

/**
 * The big texts' gram bitmaps keep case (so "LTAI" is told from "ltai" in prose); a case-insensitive
 * literal is looked up in every case. KELVIN SIGN and 'İ' stand for the ASCII letters they lower-case to.
 * The scan core computes the same codes for the text (wasm/assembly/core.ts, byteOf).
 */
export const CASE7 = new Uint8Array(65536)
for (let c = 0; c < 65536; c++) CASE7[c] = c < 128 ? c : FOLD7[c]
CASE7[0x212a] = 75
CASE7[0x130] = 73
