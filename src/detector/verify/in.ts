/** India: Aadhaar, PAN, GSTIN, TAN, IFSC, vehicle registration. */
import { compact, digitsOf, verhoeff } from './checksums'
import type { VerifyResult } from './types'

/** Aadhaar: 12 digits, not starting 0 or 1, Verhoeff check digit; rejects the all-same/sequence dummies. */
export function verifyInAadhaar(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 12 || d[0] === '0' || d[0] === '1') return false
  if (/^(\d)\1{11}$/.test(d)) return false
  return verhoeff(d)
}

/** Aadhaar Virtual ID: 16 digits, Verhoeff check digit. */
export function verifyInAadhaarVid(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 16 || d[0] === '0') return false
  return verhoeff(d)
}

/** PAN entity-type letters (4th char): P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local authority, J artificial juridical person, G government, K krish (agriculture), E LLP. */
const PAN_TYPES = 'PCHFATBLJGKE'

/** PAN: AAAAA9999A with a valid entity type letter at position 4. */
export function verifyInPan(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^[A-Z]{5}\d{4}[A-Z]$/.test(v)) return false
  if (!PAN_TYPES.includes(v[3])) return false
  return v.slice(5, 9) !== '0000'
}

const GST_ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** GSTIN: state code (01-38, 97, 99) + PAN + entity number + Z + mod-36 check character. */
export function verifyInGstin(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  if (!/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z][A-Z][0-9A-Z]$/.test(v)) return false
  const state = Number(v.slice(0, 2))
  if (!((state >= 1 && state <= 38) || state === 97 || state === 99)) return false
  if (!PAN_TYPES.includes(v[5])) return false
  let sum = 0
  for (let i = 0; i < 14; i++) {
    const p = GST_ALPHA.indexOf(v[i]) * (i % 2 === 0 ? 1 : 2)
    sum += Math.floor(p / 36) + (p % 36)
  }
  return GST_ALPHA[(36 - (sum % 36)) % 36] === v[14]
}

/** TAN: AAAA99999A (format, non-zero serial). */
export function verifyInTan(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  return /^[A-Z]{4}\d{5}[A-Z]$/.test(v) && v.slice(4, 9) !== '00000'
}

/** Indian state / UT codes used on vehicle plates and driving licences. */
export const IN_STATES = new Set(
  'AN AP AR AS BR CG CH DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL OD OR PB PY RJ SK TN TR TS UK UP WB BH'.split(' '),
)

/** Vehicle registration MH 12 AB 1234 with a real state code (also BH series). */
export function verifyInVehicle(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([A-Z]{2})(\d{1,2})([A-Z]{0,3})(\d{1,4})$/.exec(v)
  if (m) return IN_STATES.has(m[1]) && m[1] !== 'BH' && Number(m[2]) > 0 && Number(m[4]) > 0
  return /^\d{2}BH\d{4}[A-Z]{1,2}$/.test(v)
}

/** Driving licence SS-RR-YYYY-NNNNNNN with a real state code and plausible year. */
export function verifyInDrivingLicence(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([A-Z]{2})(\d{2})(\d{4})(\d{7})$/.exec(v)
  if (!m) return false
  const y = Number(m[3])
  return IN_STATES.has(m[1]) && y >= 1950 && y <= new Date().getUTCFullYear()
}
