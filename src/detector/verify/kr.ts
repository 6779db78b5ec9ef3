/** South Korea: resident registration number, alien registration number, business / corporate numbers. */
import { digitsOf, isValidDate, notFuture, weightedSum } from './checksums'
import type { VerifyResult } from './types'

const RRN_W = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]

function centuryOf(g: number): number | null {
  if (g === 1 || g === 2 || g === 5 || g === 6) return 1900
  if (g === 3 || g === 4 || g === 7 || g === 8) return 2000
  if (g === 9 || g === 0) return 1800
  return null
}

function rrnCommon(value: string, allowed: number[], checks: Array<(sum: number) => number>): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 13) return false
  const g = d.charCodeAt(6) - 48
  if (!allowed.includes(g)) return false
  const century = centuryOf(g)
  if (century === null) return false
  const y = century + Number(d.slice(0, 2))
  const m = Number(d.slice(2, 4))
  const day = Number(d.slice(4, 6))
  if (!isValidDate(y, m, day) || !notFuture(y, m, day)) return false
  const sum = weightedSum(d, RRN_W)
  const last = d.charCodeAt(12) - 48
  const ok = checks.some((f) => f(sum) === last)
  // Numbers issued since Oct 2020 carry a random tail: checksum only adds confidence.
  return { valid: true, confidence: ok ? 0.95 : 0.6 }
}

/** 주민등록번호 YYMMDD-GNNNNNN (G = 1-4 for citizens, 9/0 for 1800s). */
export function verifyKrRrn(value: string): VerifyResult {
  return rrnCommon(value, [1, 2, 3, 4, 9, 0], [(s) => (11 - (s % 11)) % 10])
}

/** 외국인등록번호 YYMMDD-GNNNNNN (G = 5-8). Old formula (13 - s%11) % 10; some use the RRN formula. */
export function verifyKrArn(value: string): VerifyResult {
  return rrnCommon(value, [5, 6, 7, 8], [(s) => (13 - (s % 11)) % 10, (s) => (11 - (s % 11)) % 10])
}

/** 사업자등록번호 NNN-NN-NNNNN, weights 1,3,7,1,3,7,1,3,5 plus floor(d9*5/10). */
export function verifyKrBrn(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 10) return false
  if (d.startsWith('000')) return false
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
  let sum = weightedSum(d, w)
  sum += Math.floor(((d.charCodeAt(8) - 48) * 5) / 10)
  return (10 - (sum % 10)) % 10 === d.charCodeAt(9) - 48
}

/** 법인등록번호 NNNNNN-NNNNNNN, weights 1,2 alternating, check = (10 - sum%10) % 10. */
export function verifyKrCrn(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 13) return false
  const w = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]
  const sum = weightedSum(d, w)
  return (10 - (sum % 10)) % 10 === d.charCodeAt(12) - 48
}

/** 운전면허번호 RR-YY-NNNNNN-CC: region code 11-28 (numeric form) and a plausible issue year. */
export function verifyKrDriverLicense(value: string): VerifyResult {
  const d = digitsOf(value)
  if (d.length !== 12) return false
  const region = Number(d.slice(0, 2))
  return region >= 11 && region <= 28
}
