/** Taiwan: national ID, resident certificate (ARC, old and 2021 style), unified business number. */
import { compact, digitsOf } from './checksums'
import type { VerifyResult } from './types'

const TW_LETTER: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21, N: 22, O: 35, P: 23,
  Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
}

function twChecksum(first: number, secondDigit: number, rest: string): boolean {
  // rest = 8 digits: 7 body digits + check digit
  let sum = Math.floor(first / 10) + (first % 10) * 9 + secondDigit * 8
  for (let i = 0; i < 7; i++) sum += (rest.charCodeAt(i) - 48) * (7 - i)
  sum += rest.charCodeAt(7) - 48
  return sum % 10 === 0
}

/** 國民身分證統一編號: letter + 1/2 (sex) + 8 digits with weighted mod-10 check. */
export function verifyTwNationalId(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  const m = /^([A-Z])([12])(\d{8})$/.exec(v)
  if (!m) return false
  return twChecksum(TW_LETTER[m[1]], Number(m[2]), m[3])
}

/** 居留證統一證號: new style (2021) letter + 8/9 + 8 digits, old style letter + A-D + 8 digits. */
export function verifyTwArc(value: string): VerifyResult {
  const v = compact(value).toUpperCase()
  let m = /^([A-Z])([89])(\d{8})$/.exec(v)
  if (m) return twChecksum(TW_LETTER[m[1]], Number(m[2]), m[3])
  m = /^([A-Z])([A-D])(\d{8})$/.exec(v)
  if (m) return twChecksum(TW_LETTER[m[1]], TW_LETTER[m[2]] % 10, m[3])
  return false
}

/** 統一編號 (UBN): weights 1,2,1,2,1,2,4,1; digit sums; since 2023 divisible by 5 (was 10); 7th digit 7 rule. */
export function verifyTwUbn(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 8 || d === '00000000') return false
  const w = [1, 2, 1, 2, 1, 2, 4, 1]
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const p = (d.charCodeAt(i) - 48) * w[i]
    sum += Math.floor(p / 10) + (p % 10)
  }
  if (sum % 5 === 0) return true
  return d[6] === '7' && (sum + 1) % 5 === 0
}
