/** Global formats: payment cards, IBAN, BIC, IMEI, MEID, passport MRZ, IP addresses. */
import { isValidBIC, isValidIBAN } from 'ibantools'
import { isIP } from 'node:net'
import { compact, digitsOf, isValidDate, ISO_COUNTRIES, luhn, notFuture } from './checksums'
import { icaoCheckDigit } from './eu'
import type { VerifyResult } from './types'

/** Payment card: 12-19 digits, Luhn, not all one digit. */
export function verifyLuhn(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length < 8 || d.length > 19) return false
  if (/^(\d)\1+$/.test(d)) return false
  return luhn(d)
}

/** Payment card number (PAN): 12-19 digits, Luhn, and separators consistent (space/dash groups only). */
export function verifyCreditCard(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length < 12 || d.length > 19) return false
  if (/^(\d)\1+$/.test(d)) return false
  if (/[^\d -]/.test(value.trim())) return false
  return luhn(d)
}

/** IBAN: country spec length + BBAN format + mod-97 (ibantools). */
export function verifyIban(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  return isValidIBAN(v)
}

/** SWIFT/BIC: 4 letters bank, valid ISO country, 2 alnum location ('0' second char = test BIC), optional branch. */
export function verifyBic(value: string): VerifyResult {
  const v = value.trim().toUpperCase()
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(v)) return false
  if (!ISO_COUNTRIES.has(v.slice(4, 6))) return false
  if (!isValidBIC(v)) return false
  // The bank code is four letters; words like "CONSTRUCTION" would otherwise slip through the format
  return { valid: true, confidence: /\d/.test(v.slice(6)) || v.length === 8 ? 0.8 : 0.6 }
}

/** IMEI: 15 digits, Luhn, valid reporting-body prefix (TAC does not start with 00). */
export function verifyImei(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length === 16) return d.startsWith('0') ? false : !/^(\d)\1+$/.test(d) // IMEISV: no check digit
  if (d.length !== 15 || d.startsWith('00')) return false
  if (/^(\d)\1+$/.test(d)) return false
  return luhn(d)
}

/** MEID: 14 hex digits (with optional Luhn-16 check digit). */
export function verifyMeid(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^[0-9A-F]{14}[0-9A-F]?$/.test(v)) return false
  if (!/[A-F]/.test(v.slice(0, 2)) && !/^(?:99|A0|A1)/.test(v)) return false
  return true
}

/** ICAO 9303 TD3 (passport) MRZ line 2: document number, birth date, expiry and composite check digits. */
export function verifyMrzTd3(value: string): VerifyResult {
  const v = value.trim().toUpperCase()
  if (!/^[A-Z0-9<]{9}\d[A-Z<]{3}\d{6}\d[MFX<]\d{6}\d[A-Z0-9<]{14}[\d<]\d$/.test(v)) return false
  const doc = v.slice(0, 9)
  const dob = v.slice(13, 19)
  const exp = v.slice(21, 27)
  const pers = v.slice(28, 42)
  if (icaoCheckDigit(doc) !== Number(v[9])) return false
  if (icaoCheckDigit(dob) !== Number(v[19])) return false
  if (icaoCheckDigit(exp) !== Number(v[27])) return false
  const pc = v[42] === '<' ? 0 : Number(v[42])
  if (icaoCheckDigit(pers) !== pc) return false
  const composite = v.slice(0, 10) + v.slice(13, 20) + v.slice(21, 43)
  return icaoCheckDigit(composite) === Number(v[43])
}

/** ICAO 9303 TD1 (ID card) MRZ line 2: birth date, expiry check digits. */
export function verifyMrzTd1Line2(value: string): VerifyResult {
  const v = value.trim().toUpperCase()
  if (!/^\d{6}\d[MFX<]\d{6}\d[A-Z<]{3}[A-Z0-9<]{11}\d$/.test(v)) return false
  return icaoCheckDigit(v.slice(0, 6)) === Number(v[6]) && icaoCheckDigit(v.slice(8, 14)) === Number(v[14])
}

/** IPv4: dotted quad without leading zeros, not a plausible 4-part version number of tiny values. */
export function verifyIpv4(value: string): VerifyResult {
  const parts = value.split('.')
  if (parts.length !== 4) return false
  for (const p of parts) if (!/^(?:0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return false
  // Looks like a software version (1.15.5.4, 2.6.32.1): first octet < 10 and second < 100, and not a
  // well-known public resolver. Still reported, with low confidence.
  const v = value
  if (Number(parts[0]) < 10 && Number(parts[1]) < 100 && !/^(?:1\.1\.1\.1|1\.0\.0\.1|8\.8\.8\.8|8\.8\.4\.4|9\.9\.9\.9)$/.test(v))
    return { valid: true, confidence: 0.3 }
  return true
}

/** Hex-encoded value used by MAC addresses: reject all-zero and broadcast. */
export function verifyMac(value: string): VerifyResult {
  const h = value.replace(/[^0-9A-Fa-f]/g, '').toUpperCase()
  if (h.length !== 12) return false
  return h !== '000000000000' && h !== 'FFFFFFFFFFFF'
}

/** Track 1 magnetic-stripe data: Luhn on the PAN between %B and the first ^. */
export function verifyCardTrack(value: string): VerifyResult {
  const m = /%B(\d{12,19})\^/.exec(value)
  return !!m && luhn(m[1])
}

/** IPv6 via Node's parser; at least four groups written (rules out "a::b", "::1"-style short forms). */
export function verifyIpv6(value: string): VerifyResult {
  const v = value.replace(/%.*$/, '')
  if (!isIP(v) || isIP(v) !== 6) return false
  const groups = v.split(':').filter((g) => g.length > 0)
  return groups.length >= 4
}

/** A calendar date written Y-M-D, D.M.Y, M/D/Y, D/M/Y or with Korean/Japanese/Chinese markers: consistent separators, real day. */
export function verifyDate(value: string): VerifyResult {
  const v = value.trim()
  const nums = v.match(/\d+/g)
  if (!nums || nums.length !== 3) return false
  const seps = v.replace(/\d+/g, '\u0000').split('\u0000').slice(1, 3).map((s) => s.trim())
  if (!/[年月日년월일]/.test(v) && seps[0] !== seps[1]) return false
  const [a, b, c] = nums.map(Number)
  if (nums[0].length === 4) return isValidDate(a, b, c) && notFuture(a, b, c)
  if (nums[2].length === 4) {
    // D.M.Y or M/D/Y: accept if either reading is a real date
    return (isValidDate(c, b, a) && notFuture(c, b, a)) || (isValidDate(c, a, b) && notFuture(c, a, b))
  }
  return false
}
