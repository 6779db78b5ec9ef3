/** Secret verifiers: Shannon entropy for generic and provider keys, JWT structure. */
import { shannonEntropy } from './checksums'
import type { VerifyResult } from './types'

/** Extract the likely secret part of a keyword=value match: the last long token. */
export function secretValue(value: string): string {
  const assign = /(?:=>|:=|=|:)\s*["']?([^\s"']{8,})["']?\s*$/.exec(value)
  if (assign) return assign[1]
  const toks = value.match(/[A-Za-z0-9+/=_\-.~]{8,}/g)
  if (!toks) return value
  return toks[toks.length - 1].replace(/^['"]|['"]$/g, '')
}

function classes(s: string): number {
  return (/[a-z]/.test(s) ? 1 : 0) + (/[A-Z]/.test(s) ? 1 : 0) + (/\d/.test(s) ? 1 : 0)
}

function looksLikePlaceholder(s: string): boolean {
  return /(?:x{6,}|\*{4,}|example|sample|dummy|placeholder|changeme|your[_-]?|redacted|test[_-]?key|<|\$\{|\{\{|0{8,}|1234567|abcdef(?:gh|12))/i.test(s)
}

/** Generic secret: ≥ 16 chars, ≥ 3.5 bits/char Shannon entropy (≥ 3.0 for hex), ≥ 2 char classes, no placeholder. */
export function verifyEntropy(value: string): VerifyResult {
  const s = secretValue(value)
  if (s.length < 16 || looksLikePlaceholder(s)) return false
  const h = shannonEntropy(s)
  const isHex = /^[0-9a-f]+$/i.test(s)
  if (isHex ? h < 3.0 : h < 3.5) return false
  if (!isHex && classes(s) < 2) return false
  return { valid: true, confidence: Math.min(1, h / 5) }
}

/** Lower bar for provider keys whose prefix already identifies them: just reject placeholders and low entropy. */
export function verifyTokenEntropy(value: string): VerifyResult {
  const s = value.trim()
  if (looksLikePlaceholder(s)) return false
  return shannonEntropy(s) >= 3.0
}

function b64urlJson(part: string): Record<string, unknown> | null {
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')
    const obj: unknown = JSON.parse(json)
    return obj && typeof obj === 'object' ? (obj as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** JWT: header and payload decode to JSON objects, header names an algorithm. */
export function verifyJwt(value: string): VerifyResult {
  const parts = value.trim().split('.')
  if (parts.length !== 3) return false
  const header = b64urlJson(parts[0])
  if (!header || typeof header.alg !== 'string') return false
  const payload = b64urlJson(parts[1])
  if (!payload) return false
  return header.alg.toLowerCase() === 'none' ? { valid: true, confidence: 0.7 } : true
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
let crcTable: Uint32Array | null = null
export function crc32(s: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let i = 0; i < 256; i++) {
      let c = i
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[i] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (let i = 0; i < s.length; i++) crc = crcTable[(crc ^ s.charCodeAt(i)) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

export function base62(n: number, width: number): string {
  let out = ''
  let x = n
  while (x > 0) {
    out = B62[x % 62] + out
    x = Math.floor(x / 62)
  }
  return out.padStart(width, '0')
}

/**
 * GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens: 30 random base62 chars + 6-char base62 CRC32 of
 * the random part. A wrong checksum is not fatal (older token generations) but lowers confidence.
 */
export function verifyCrc32Token(value: string): VerifyResult {
  const m = /^(?:gh[pousr]|npm)_([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(value.trim())
  if (!m) return verifyTokenEntropy(value)
  if (looksLikePlaceholder(m[1])) return false
  const ok = base62(crc32(m[1]), 6) === m[2]
  if (ok) return { valid: true, confidence: 1 }
  return shannonEntropy(m[1]) >= 3.0 ? { valid: true, confidence: 0.7 } : false
}

/** URL credentials: the password part must not be a placeholder or template variable. */
export function verifyUrlCredentials(value: string): VerifyResult {
  const m = /:\/\/([^:@/]+):([^@]+)@/.exec(value)
  if (!m) return false
  const pw = m[2]
  if (pw.length < 4) return false
  if (/^(?:pass(?:word)?|passwd|secret|pwd|xxx+|\*+|changeme|example|test|user|none|null)$/i.test(pw)) return false
  if (/[$%{}<>]|\[|\]/.test(pw) && /\$\{|\{\{|%[sd(]|<[a-z_]+>|\$[A-Z_]+/i.test(pw)) return false
  return true
}

/** Discord bot token: the first segment is the base64 of the bot's numeric user id. */
export function verifyDiscordToken(value: string): VerifyResult {
  const first = value.trim().split('.')[0]
  let id: string
  try {
    id = Buffer.from(first.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')
  } catch {
    return false
  }
  return /^\d{17,20}$/.test(id)
}
