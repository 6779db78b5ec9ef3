/** Cryptocurrency address verifiers (BTC, LTC, DOGE, TRX, XRP, ETH, ADA) and a self-contained Keccak-256. */
import { base58CheckDecode, bech32Decode, convertBits, sha256 } from './checksums'
import type { VerifyResult } from './types'

// ---------------------------------------------------------------- Keccak-256
// Original Keccak padding (0x01), as used by Ethereum; NOT NIST SHA3-256 (0x06).
const RC: bigint[] = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n,
  0x000000000000808bn, 0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n,
  0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
  0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
  0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
]
const ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14]
const MASK64 = (1n << 64n) - 1n

function rotl(x: bigint, n: number): bigint {
  if (n === 0) return x
  const b = BigInt(n)
  return ((x << b) | (x >> (64n - b))) & MASK64
}

function keccakF(s: bigint[]): void {
  const c = new Array<bigint>(5)
  const b = new Array<bigint>(25)
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20]
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
      for (let y = 0; y < 25; y += 5) s[y + x] ^= d
    }
    for (let x = 0; x < 5; x++)
      for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], ROT[x + 5 * y])
    for (let x = 0; x < 5; x++)
      for (let y = 0; y < 25; y += 5) s[y + x] = b[y + x] ^ (~b[y + ((x + 1) % 5)] & MASK64 & b[y + ((x + 2) % 5)])
    s[0] ^= RC[round]
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
  const s = new Array<bigint>(25).fill(0n)
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + k])
      s[i] ^= lane
    }
    keccakF(s)
  }
  const out = new Uint8Array(32)
  for (let i = 0; i < 4; i++) {
    let lane = s[i]
    for (let k = 0; k < 8; k++) {
      out[i * 8 + k] = Number(lane & 0xffn)
      lane >>= 8n
    }
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
