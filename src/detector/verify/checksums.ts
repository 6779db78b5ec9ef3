/**
 * Generic check-digit algorithms shared by the regional verifiers.
 * All functions take already-normalised input (digits / upper-case alphanumerics).
 */
import { createHash } from 'node:crypto'

/** Remove separators (spaces, dashes, dots, slashes, NBSP, ideographic space, fullwidth hyphen). */
export function compact(value: string): string {
  return value.replace(/[\s\u00a0\u3000.\-\u2010-\u2015\u30fc\uff0d/_]/g, '')
}

/** Keep only ASCII digits. */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, '')
}

/** Fullwidth digits/letters to ASCII. */
export function toHalfWidth(value: string): string {
  return value.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

export function isDigits(s: string, len?: number): boolean {
  if (!/^\d+$/.test(s)) return false
  return len === undefined || s.length === len
}

/** Luhn (mod 10) over a digit string including its check digit. */
export function luhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  let dbl = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (dbl) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    dbl = !dbl
  }
  return sum % 10 === 0
}

/** Luhn check digit for a payload (without check digit). */
export function luhnCheckDigit(payload: string): number {
  for (let c = 0; c < 10; c++) if (luhn(payload + c)) return c
  return -1
}

/** Luhn mod N over an alphabet (ISO/IEC 7812 generalisation). */
export function luhnModN(value: string, alphabet: string): boolean {
  const n = alphabet.length
  let factor = 1
  let sum = 0
  for (let i = value.length - 1; i >= 0; i--) {
    const cp = alphabet.indexOf(value[i])
    if (cp < 0) return false
    let addend = factor * cp
    factor = factor === 2 ? 1 : 2
    addend = Math.floor(addend / n) + (addend % n)
    sum += addend
  }
  return sum % n === 0
}

/** Remainder of a (possibly very long) decimal string modulo m. */
export function modString(digits: string, m: number): number {
  let r = 0
  for (let i = 0; i < digits.length; i++) r = (r * 10 + (digits.charCodeAt(i) - 48)) % m
  return r
}

/** Weighted sum of digits. */
export function weightedSum(digits: string, weights: readonly number[]): number {
  let s = 0
  for (let i = 0; i < weights.length; i++) s += (digits.charCodeAt(i) - 48) * weights[i]
  return s
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]

/** Verhoeff check over a digit string including its check digit. */
export function verhoeff(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let c = 0
  const n = digits.length
  for (let i = 0; i < n; i++) {
    const d = digits.charCodeAt(n - 1 - i) - 48
    c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d]]
  }
  return c === 0
}

/** ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') for a digit payload. */
export function iso7064Mod11_2(payload: string): string {
  let p = 0
  for (let i = 0; i < payload.length; i++) p = ((p + (payload.charCodeAt(i) - 48)) * 2) % 11
  const c = (12 - p) % 11
  return c === 10 ? 'X' : String(c)
}

/** ISO 7064 MOD 11,10 (hybrid) validation over a digit string including its check digit. */
export function iso7064Mod11_10(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let p = 10
  for (let i = 0; i < digits.length - 1; i++) {
    let s = (p + (digits.charCodeAt(i) - 48)) % 10
    if (s === 0) s = 10
    p = (s * 2) % 11
  }
  let check = 11 - p
  if (check === 10) check = 0
  return check === digits.charCodeAt(digits.length - 1) - 48
}

/** ISO 7064 MOD 37,36 (hybrid) validation over alphanumerics including check char. */
export function iso7064Mod37_36(value: string): boolean {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  let p = 36
  for (let i = 0; i < value.length; i++) {
    const v = alphabet.indexOf(value[i])
    if (v < 0) return false
    let s = (p + v) % 36
    if (s === 0) s = 36
    p = i === value.length - 1 ? s : (s * 2) % 37
  }
  return p % 36 === 1
}

/** Mod 97-10 (ISO 7064) over an alphanumeric string with letters as 10..35 (IBAN style). */
export function mod97Alnum(value: string): number {
  let r = 0
  for (const ch of value) {
    const code = ch.charCodeAt(0)
    if (code >= 48 && code <= 57) r = (r * 10 + (code - 48)) % 97
    else if (code >= 65 && code <= 90) r = (r * 100 + (code - 55)) % 97
    else return -1
  }
  return r
}

/** Is the date real? Year with 4 digits, month 1..12, day in month. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false
  if (month < 1 || month > 12 || day < 1) return false
  const dim = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return day <= dim[month - 1]
}

/** True when the date is not in the future (relative to now). */
export function notFuture(year: number, month: number, day: number): boolean {
  const now = new Date()
  const t = Date.UTC(year, month - 1, day)
  return t <= Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const B58_MAP: Record<string, number> = Object.fromEntries([...B58].map((c, i) => [c, i]))

/** Base58 decode (Bitcoin alphabet). Returns null on invalid characters. */
export function base58Decode(s: string): Uint8Array | null {
  const bytes: number[] = [0]
  for (const ch of s) {
    const v = B58_MAP[ch]
    if (v === undefined) return null
    let carry = v
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  const out = bytes.reverse()
  let leadingOnes = 0
  while (leadingOnes < s.length && s[leadingOnes] === '1') leadingOnes++
  let firstNonZero = 0
  while (firstNonZero < out.length && out[firstNonZero] === 0) firstNonZero++
  const result = new Uint8Array(leadingOnes + out.length - firstNonZero)
  result.set(out.slice(firstNonZero), leadingOnes)
  return result
}

/** Base58Check decode: returns the payload (version byte + data) or null on a bad checksum. */
export function base58CheckDecode(s: string): Uint8Array | null {
  const raw = base58Decode(s)
  if (!raw || raw.length < 5) return null
  const payload = raw.slice(0, raw.length - 4)
  const check = raw.slice(raw.length - 4)
  const h = sha256(sha256(payload))
  for (let i = 0; i < 4; i++) if (h[i] !== check[i]) return null
  return payload
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

function bech32Polymod(values: number[]): number {
  let chk = 1
  for (const v of values) {
    const b = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk ^= BECH32_GEN[i]
  }
  return chk >>> 0
}

export type Bech32Decoded = { hrp: string; data: number[]; encoding: 'bech32' | 'bech32m' }

/** Decode a bech32 / bech32m string (BIP-173 / BIP-350). Mixed case is invalid. */
export function bech32Decode(s: string): Bech32Decoded | null {
  if (s.length < 8 || s.length > 90) return null
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return null
  const str = s.toLowerCase()
  const pos = str.lastIndexOf('1')
  if (pos < 1 || pos + 7 > str.length) return null
  const hrp = str.slice(0, pos)
  const data: number[] = []
  for (const ch of str.slice(pos + 1)) {
    const v = BECH32_CHARSET.indexOf(ch)
    if (v < 0) return null
    data.push(v)
  }
  const expanded: number[] = []
  for (const c of hrp) expanded.push(c.charCodeAt(0) >> 5)
  expanded.push(0)
  for (const c of hrp) expanded.push(c.charCodeAt(0) & 31)
  const pm = bech32Polymod([...expanded, ...data])
  const encoding = pm === 1 ? 'bech32' : pm === 0x2bc830a3 ? 'bech32m' : null
  if (!encoding) return null
  return { hrp, data: data.slice(0, data.length - 6), encoding }
}

/** Convert between bit groups (BIP-173 convertbits). */
export function convertBits(data: number[], from: number, to: number, pad: boolean): number[] | null {
  let acc = 0
  let bits = 0
  const out: number[] = []
  const maxv = (1 << to) - 1
  for (const v of data) {
    if (v < 0 || v >> from) return null
    acc = (acc << from) | v
    bits += from
    while (bits >= to) {
      bits -= to
      out.push((acc >> bits) & maxv)
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv)
  } else if (bits >= from || ((acc << (to - bits)) & maxv)) {
    return null
  }
  return out
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let h = 0
  const n = [...s].length
  for (const c of counts.values()) {
    const p = c / n
    h -= p * Math.log2(p)
  }
  return h
}

/** ISO 3166-1 alpha-2 codes (officially assigned + XK Kosovo, used by BIC/IBAN). */
export const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK'
  ).split(' '),
)
