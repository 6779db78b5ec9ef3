/** Japan: My Number (individual number) and corporate number. */
import { compact, digitsOf, toHalfWidth } from './checksums'
import type { VerifyResult } from './types'

/** 個人番号 (My Number): 12 digits, check = 11 - Σ(Pn×Qn) mod 11 (0 when remainder ≤ 1). */
export function verifyJpMyNumber(value: string): VerifyResult {
  const d = digitsOf(toHalfWidth(value))
  if (d.length !== 12) return false
  if (/^(\d)\1{11}$/.test(d)) return false
  let sum = 0
  for (let n = 1; n <= 11; n++) {
    const p = d.charCodeAt(11 - n) - 48
    const q = n <= 6 ? n + 1 : n - 5
    sum += p * q
  }
  const r = sum % 11
  const check = r <= 1 ? 0 : 11 - r
  return check === d.charCodeAt(11) - 48
}

/** 法人番号 (corporate number): 13 digits, leading check digit = 9 - (Σ Pn×Qn mod 9), Qn = 1 odd / 2 even. */
export function verifyJpCorporateNumber(value: string): VerifyResult {
  const d = digitsOf(toHalfWidth(value))
  if (d.length !== 13) return false
  let sum = 0
  for (let n = 1; n <= 12; n++) {
    const p = d.charCodeAt(13 - n) - 48
    sum += p * (n % 2 === 1 ? 1 : 2)
  }
  return 9 - (sum % 9) === d.charCodeAt(0) - 48
}

/** 在留カード番号: 2 letters + 8 digits + 2 letters (format only, no published checksum). */
export function verifyJpResidenceCard(value: string): VerifyResult {
  return /^[A-Z]{2}\d{8}[A-Z]{2}$/.test(compact(toHalfWidth(value)).toUpperCase())
}

/** 適格請求書発行事業者登録番号 (invoice registration number): T + 13-digit corporate number. */
export function verifyJpInvoiceNumber(value: string): VerifyResult {
  const v = compact(toHalfWidth(value)).toUpperCase()
  return /^T\d{13}$/.test(v) && verifyJpCorporateNumber(v.slice(1)) === true
}
