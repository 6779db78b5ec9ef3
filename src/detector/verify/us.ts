/** United States: SSN, ITIN, EIN, NPI, ABA routing, DEA, MBI, VIN. */
import { compact, digitsOf, luhn, weightedSum } from './checksums'
import type { VerifyResult } from './types'

/** SSN: area not 000/666/900-999, group not 00, serial not 0000; known advertising numbers rejected. */
export function verifyUsSsn(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9) return false
  const area = Number(d.slice(0, 3))
  const group = Number(d.slice(3, 5))
  const serial = Number(d.slice(5))
  if (area === 0 || area === 666 || area >= 900) return false
  if (group === 0 || serial === 0) return false
  if (d === '078051120' || d === '219099999' || d === '123456789') return false
  if (/^(\d)\1{8}$/.test(d)) return false
  return true
}

/** ITIN: 9XX-GG-SSSS with group 50-65, 70-88, 90-92, 94-99. */
export function verifyUsItin(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9 || d[0] !== '9' || /^(\d)\1{8}$/.test(d)) return false
  const g = Number(d.slice(3, 5))
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99)
}

/** IRS campus prefixes (https://www.irs.gov/businesses/small-businesses-self-employed/how-eins-are-assigned-and-valid-ein-prefixes). */
const EIN_PREFIXES = new Set(
  (
    '01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 ' +
    '50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 82 83 84 85 86 87 88 90 91 92 93 94 95 98 99'
  ).split(' '),
)

/** EIN NN-NNNNNNN with a valid IRS campus prefix. */
export function verifyUsEin(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9) return false
  if (!EIN_PREFIXES.has(d.slice(0, 2))) return false
  return !/^\d{2}0{7}$/.test(d)
}

/** NPI: 10 digits, Luhn over the "80840" prefix + number. */
export function verifyUsNpi(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10 || (d[0] !== '1' && d[0] !== '2')) return false
  return luhn('80840' + d)
}

/** ABA routing transit number: 3-7-1 weights, mod 10, valid Federal Reserve prefix. */
export function verifyUsAba(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 9) return false
  const p = Number(d.slice(0, 2))
  if (!((p >= 0 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p === 80)) return false
  if (d === '000000000') return false
  return weightedSum(d, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 === 0
}

/** DEA registration number: 2 letters + 7 digits; (d1+d3+d5) + 2*(d2+d4+d6) last digit = d7. */
export function verifyUsDea(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([ABCDEFGHJKLMPRSTUX])([A-Z9])(\d{7})$/.exec(v)
  if (!m) return false
  const d = m[3]
  const n = (i: number): number => d.charCodeAt(i) - 48
  const s = n(0) + n(2) + n(4) + 2 * (n(1) + n(3) + n(5))
  return s % 10 === n(6)
}

/** Medicare Beneficiary Identifier: C A AN N A AN N A A N N (no S L O I B Z). */
export function verifyUsMbi(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const A = '[AC-HJKMNP-RT-Y]'
  const AN = '[AC-HJKMNP-RT-Y0-9]'
  return new RegExp(`^[1-9]${A}${AN}\\d${A}${AN}\\d${A}${A}\\d\\d$`).test(v)
}

const VIN_MAP: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
}
const VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

/** VIN (ISO 3779 / 49 CFR 565): 17 chars without I O Q, check digit at position 9. */
export function verifyVin(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(v)) return false
  if (!/[A-Z]/.test(v) || !/\d/.test(v)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = v[i]
    const val = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : VIN_MAP[c]
    sum += val * VIN_W[i]
  }
  const r = sum % 11
  return v[8] === (r === 10 ? 'X' : String(r))
}

/** US passport book (9 digits) or next-generation (letter + 8 digits); rejects all-same digits. */
export function verifyUsPassport(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^(?:\d{9}|[A-Z]\d{8})$/.test(v)) return false
  return !/^.?(\d)\1{7,8}$/.test(v)
}

/** Legacy Medicare HICN: a valid SSN followed by a beneficiary identification code (A, B1, C2, D, ...). */
export function verifyUsHicn(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^(\d{9})([A-Z]\d?)$/.exec(v)
  if (!m) return false
  if (!/^(?:A|B\d?|C\d|D\d?|E\d?|F\d?|H|HA|HB|HC|J\d|K\d|M|T|W\d?)$/.test(m[2])) return false
  return verifyUsSsn(m[1])
}

/** Canadian Social Insurance Number: 9 digits, Luhn, first digit not 0 or 8. */
export function verifyCaSin(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 9 && d[0] !== '0' && d[0] !== '8' && luhn(d)
}
