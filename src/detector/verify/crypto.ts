/** Cryptocurrency address verifiers (BTC, LTC, DOGE, TRX, XRP, ETH, ADA) and a self-contained Keccak-256. */
import { base58CheckDecode, bech32Decode, convertBits, sha256 } from './checksums'
import type { VerifyResult } from './types'

// ---------------------------------------------------------------- Keccak-256
// Original Keccak padding (0x01), as used by Ethereum; NOT NIST SHA3-256 (0x06).
// Lanes are kept as 32-bit halves (lo at 2i, hi at 2i + 1): the BigInt version took ~180 µs a hash.
const RC_HI = Uint32Array.from([
  0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000,
  0x80000000, 0x80000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x00000000, 0x80000000,
])
const RC_LO = Uint32Array.from([
  0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001, 0x80008081, 0x00008009,
  0x0000008a, 0x00000088, 0x80008009, 0x8000000a, 0x8000808b, 0x0000008b, 0x00008089, 0x00008003,
  0x00008002, 0x00000080, 0x0000800a, 0x8000000a, 0x80008081, 0x00008080, 0x80000001, 0x80008008,
])
const ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14]
/** Where lane x + 5y goes in the ρ-π step: y + 5 ((2x + 3y) mod 5). */
const PI = ROT.map((_, i) => {
  const x = i % 5
  const y = (i - x) / 5
  return y + 5 * ((2 * x + 3 * y) % 5)
})

// scratch for keccakF (synchronous, never re-entered): a 200-byte typed array per call is an off-heap allocation
const KC = new Uint32Array(10)
const KB = new Uint32Array(50)

function keccakF(s: Uint32Array): void {
  const c = KC
  const b = KB
  for (let round = 0; round < 24; round++) {
    // θ
    for (let x = 0; x < 5; x++) {
      c[2 * x] = s[2 * x] ^ s[2 * x + 10] ^ s[2 * x + 20] ^ s[2 * x + 30] ^ s[2 * x + 40]
      c[2 * x + 1] = s[2 * x + 1] ^ s[2 * x + 11] ^ s[2 * x + 21] ^ s[2 * x + 31] ^ s[2 * x + 41]
    }
    for (let x = 0; x < 5; x++) {
      const p = 2 * ((x + 4) % 5)
      const q = 2 * ((x + 1) % 5)
      // c[x - 1] ^ rotl(c[x + 1], 1)
      const dLo = c[p] ^ ((c[q] << 1) | (c[q + 1] >>> 31))
      const dHi = c[p + 1] ^ ((c[q + 1] << 1) | (c[q] >>> 31))
      for (let y = 0; y < 50; y += 10) {
        s[y + 2 * x] ^= dLo
        s[y + 2 * x + 1] ^= dHi
      }
    }
    // ρ and π
    for (let i = 0; i < 25; i++) {
      const lo = s[2 * i]
      const hi = s[2 * i + 1]
      const n = ROT[i]
      const o = 2 * PI[i]
      if (n === 0) {
        b[o] = lo
        b[o + 1] = hi
      } else if (n < 32) {
        b[o] = (lo << n) | (hi >>> (32 - n))
        b[o + 1] = (hi << n) | (lo >>> (32 - n))
      } else if (n === 32) {
        b[o] = hi
        b[o + 1] = lo
      } else {
        const m = n - 32
        b[o] = (hi << m) | (lo >>> (32 - m))
        b[o + 1] = (lo << m) | (hi >>> (32 - m))
      }
    }
    // χ
    for (let y = 0; y < 50; y += 10) {
      for (let x = 0; x < 5; x++) {
        const x1 = y + 2 * ((x + 1) % 5)
        const x2 = y + 2 * ((x + 2) % 5)
        s[y + 2 * x] = b[y + 2 * x] ^ (~b[x1] & b[x2])
        s[y + 2 * x + 1] = b[y + 2 * x + 1] ^ (~b[x1 + 1] & b[x2 + 1])
      }
    }
    // ι
    s[0] ^= RC_LO[round]
    s[1] ^= RC_HI[round]
  }
}

/** Keccak-256 digest (Ethereum flavour). */
export function keccak256(input: Uint8Array | string): Uint8Array {
  const data = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const rate = 136
  const padded = new Uint8Array(Math.floor(data.length / rate + 1) * rate)
  padded.set(data)
  padded[data.length] ^= 0x01
  padded[padded.length - 1] ^= 0x80
  const s = new Uint32Array(50)
  for (let off = 0; off < padded.length; off += rate) {
    // lanes are little-endian 64-bit words: lo from the first 4 bytes, hi from the next 4
    for (let i = 0; i < rate / 4; i++) {
      const k = off + 4 * i
      s[i] ^= padded[k] | (padded[k + 1] << 8) | (padded[k + 2] << 16) | (padded[k + 3] << 24)
    }
    keccakF(s)
  }
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const w = s[i]
    out[4 * i] = w & 0xff
    out[4 * i + 1] = (w >>> 8) & 0xff
    out[4 * i + 2] = (w >>> 16) & 0xff
    out[4 * i + 3] = w >>> 24
  }
  return out
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

// ---------------------------------------------------------------- Ethereum
/** EIP-55: mixed case must match the checksum; all-lower / all-upper is valid but unchecksummed. */
export function verifyEthAddress(value: string): VerifyResult {
  const m = /^0x([0-9a-fA-F]{40})$/.exec(value.trim())
  if (!m) return false
  const hex = m[1]
  const lower = hex.toLowerCase()
  if (/^0+$/.test(lower)) return false // the burn/zero address is not a person's wallet
  if (hex === lower || hex === hex.toUpperCase()) return { valid: true, confidence: 0.6 }
  const hash = toHex(keccak256(lower))
  for (let i = 0; i < 40; i++) {
    const ch = hex[i]
    if (ch >= '0' && ch <= '9') continue
    const upper = parseInt(hash[i], 16) >= 8
    if (upper !== (ch >= 'A' && ch <= 'F')) return false
  }
  return { valid: true, confidence: 1 }
}

/** Produce the EIP-55 checksummed form of a 40-hex-digit address. */
export function toChecksumAddress(address: string): string {
  const lower = address.replace(/^0x/i, '').toLowerCase()
  const hash = toHex(keccak256(lower))
  let out = '0x'
  for (let i = 0; i < 40; i++) out += parseInt(hash[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i]
  return out
}

// ---------------------------------------------------------------- Bitcoin family
function segwit(value: string, hrps: string[]): boolean {
  const dec = bech32Decode(value)
  if (!dec || !hrps.includes(dec.hrp) || dec.data.length < 1) return false
  const version = dec.data[0]
  if (version > 16) return false
  const program = convertBits(dec.data.slice(1), 5, 8, false)
  if (!program || program.length < 2 || program.length > 40) return false
  if (version === 0 && program.length !== 20 && program.length !== 32) return false
  // BIP-350: v0 uses bech32, v1+ uses bech32m
  if (version === 0 && dec.encoding !== 'bech32') return false
  if (version !== 0 && dec.encoding !== 'bech32m') return false
  return true
}

function base58Versioned(value: string, versions: number[]): boolean {
  const payload = base58CheckDecode(value)
  return !!payload && payload.length === 21 && versions.includes(payload[0])
}

/** BTC: P2PKH (1…), P2SH (3…) via Base58Check with double SHA-256; segwit v0 bech32 / v1+ bech32m (bc1…). */
export function verifyBtcAddress(value: string): VerifyResult {
  const v = value.trim()
  if (/^bc1/i.test(v)) return segwit(v, ['bc'])
  return base58Versioned(v, [0x00, 0x05])
}

/** LTC: L… (0x30), M… (0x32), legacy 3… (0x05), ltc1… segwit. */
export function verifyLtcAddress(value: string): VerifyResult {
  const v = value.trim()
  if (/^ltc1/i.test(v)) return segwit(v, ['ltc'])
  return base58Versioned(v, [0x30, 0x32, 0x05])
}

/** DOGE: D… (0x1e), A…/9… (0x16) P2SH. */
export function verifyDogeAddress(value: string): VerifyResult {
  return base58Versioned(value.trim(), [0x1e, 0x16])
}

/** TRON: T… Base58Check with version byte 0x41. */
export function verifyTronAddress(value: string): VerifyResult {
  return base58Versioned(value.trim(), [0x41])
}

const XRP_ALPHABET = 'rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz'
const BTC_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** XRP classic address: Ripple base58 alphabet, Base58Check (double SHA-256), version 0x00. */
export function verifyXrpAddress(value: string): VerifyResult {
  const v = value.trim()
  let mapped = ''
  for (const ch of v) {
    const i = XRP_ALPHABET.indexOf(ch)
    if (i < 0) return false
    mapped += BTC_ALPHABET[i]
  }
  return base58Versioned(mapped, [0x00])
}

/** Cardano Shelley address (addr1…): bech32 without the 90-char limit. */
export function verifyCardanoAddress(value: string): VerifyResult {
  const v = value.trim().toLowerCase()
  const pos = v.lastIndexOf('1')
  if (pos < 1 || v.slice(0, pos) !== 'addr') return false
  // reuse bech32 polymod by chunking: bech32Decode enforces 90 chars, so check here directly
  return bech32Long(v)
}

function bech32Long(str: string): boolean {
  const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
  const pos = str.lastIndexOf('1')
  const hrp = str.slice(0, pos)
  const values: number[] = []
  for (const c of hrp) values.push(c.charCodeAt(0) >> 5)
  values.push(0)
  for (const c of hrp) values.push(c.charCodeAt(0) & 31)
  for (const ch of str.slice(pos + 1)) {
    const v = CHARSET.indexOf(ch)
    if (v < 0) return false
    values.push(v)
  }
  let chk = 1
  for (const v of values) {
    const b = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk ^= GEN[i]
  }
  return chk >>> 0 === 1
}

export { sha256 }
