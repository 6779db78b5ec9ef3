/** China (mainland, Hong Kong, Macau): resident ID, USCC, organization code, business licence, HKID. */
import { compact, digitsOf, isValidDate, iso7064Mod11_10, iso7064Mod11_2, notFuture, toHalfWidth } from './checksums'
import type { VerifyResult } from './types'

/** Province-level codes of GB/T 2260 (first two digits), plus 71 Taiwan, 81 Hong Kong, 82 Macau, 83 Taiwan residents. */
const CN_PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83', '91',
])

/** 居民身份证 18 digits: valid province code, real birth date, ISO 7064 MOD 11-2 check character. */
export function verifyCnResidentId(value: string): VerifyResult {
  const v = compact(toHalfWidth(value)).toUpperCase()
  if (!/^\d{17}[\dX]$/.test(v)) return false
  if (!CN_PROVINCES.has(v.slice(0, 2))) return false
  const y = Number(v.slice(6, 10))
  const m = Number(v.slice(10, 12))
  const d = Number(v.slice(12, 14))
  if (y < 1880 || !isValidDate(y, m, d) || !notFuture(y, m, d)) return false
  return iso7064Mod11_2(v.slice(0, 17)) === v[17]
}

/** First-generation 15-digit ID: province code + YYMMDD (19xx) + sequence, no check digit. */
export function verifyCnResidentId15(value: string): VerifyResult {
  const v = digitsOf(value)
  if (v.length !== 15) return false
  if (!CN_PROVINCES.has(v.slice(0, 2))) return false
  const y = 1900 + Number(v.slice(6, 8))
  return isValidDate(y, Number(v.slice(8, 10)), Number(v.slice(10, 12)))
}

const USCC_ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** 统一社会信用代码 (GB 32100-2015): 18 chars, mod-31 weighted check character. */
export function verifyCnUscc(value: string): VerifyResult {
  const v = compact(toHalfWidth(value)).toUpperCase()
  if (!/^[1-9ANY][1-9]\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = USCC_ALPHA.indexOf(v[i])
    if (c < 0) return false
    sum += c * USCC_W[i]
  }
  const check = (31 - (sum % 31)) % 31
  if (USCC_ALPHA[check] !== v[17]) return false
  return verifyCnOrgCode(v.slice(8, 17)) ? { valid: true, confidence: 1 } : { valid: true, confidence: 0.85 }
}

/** 组织机构代码 (GB 11714): 8 alphanumerics + check (weights 3,7,9,10,5,8,4,2; mod 11, 10 = X). */
export function verifyCnOrgCode(value: string): VerifyResult {
  const v = compact(toHalfWidth(value)).toUpperCase()
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(v)) return false
  const w = [3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const ch = v[i]
    const n = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55
    sum += n * w[i]
  }
  const c = 11 - (sum % 11)
  const expected = c === 10 ? 'X' : c === 11 ? '0' : String(c)
  return expected === v[8]
}

/** 工商注册号 (15 digits, GS15-2006): ISO 7064 MOD 11,10. */
export function verifyCnBusinessLicense(value: string): VerifyResult {
  const d = digitsOf(value)
  return d.length === 15 && CN_PROVINCES.has(d.slice(0, 2)) && iso7064Mod11_10(d)
}

/** HKID: 1-2 letters + 6 digits + check (0-9 or A), weighted mod 11 with space = 36. */
export function verifyHkId(value: string): VerifyResult {
  const v = value.toUpperCase().replace(/[\s()（）]/g, '')
  const m = /^([A-Z]{1,2})(\d{6})([0-9A])$/.exec(v)
  if (!m) return false
  const letters = m[1].length === 1 ? ' ' + m[1] : m[1]
  const chars = letters + m[2]
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const ch = chars[i]
    const n = ch === ' ' ? 36 : ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48
    sum += n * (9 - i)
  }
  const c = (11 - (sum % 11)) % 11
  return (c === 10 ? 'A' : String(c)) === m[3]
}

/** Macau resident ID: [1578]NNNNNN(N), format only. */
export function verifyMoId(value: string): VerifyResult {
  return /^[1578]\d{7}$/.test(value.replace(/[\s()/（）]/g, ''))
}

/** Old 15-character tax registration number (税务登记号): 6-digit region code + 9-char organization code. */
export function verifyCnTaxReg15(value: string): VerifyResult {
  const v = compact(toHalfWidth(value)).toUpperCase()
  if (!/^\d{6}[0-9A-Z]{8}[0-9X]$/.test(v)) return false
  return CN_PROVINCES.has(v.slice(0, 2)) && verifyCnOrgCode(v.slice(6)) === true
}
