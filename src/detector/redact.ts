/** Redaction strategies: mask, keyed hash (HMAC-SHA-256) and tokenize (with an optional encrypted vault). */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto'
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Category } from './types'
import { DetectorError } from './types'

const CATEGORY_LABEL: Record<Category, string> = {
  national_id: 'NATIONAL_ID',
  tax_id: 'TAX_ID',
  passport: 'PASSPORT',
  driver_license: 'DRIVER_LICENSE',
  phone: 'PHONE',
  email: 'EMAIL',
  credit_card: 'CARD',
  bank_account: 'BANK_ACCOUNT',
  iban: 'IBAN',
  swift_bic: 'BIC',
  ip_address: 'IP',
  mac_address: 'MAC',
  imei: 'IMEI',
  postal_code: 'POSTAL_CODE',
  vehicle_plate: 'PLATE',
  date_of_birth: 'DOB',
  medical_id: 'MEDICAL_ID',
  crypto_wallet: 'WALLET',
  secret: 'SECRET',
  url: 'URL',
  other: 'PII',
}

export function categoryLabel(c: Category): string {
  return CATEGORY_LABEL[c] ?? 'PII'
}

function isAlnum(ch: string): boolean {
  return /[\p{L}\p{N}]/u.test(ch)
}

/** Mask a value with a template (see docs/DETECTOR.md, Masks) or the category default. */
export function maskValue(value: string, category: Category, template?: string): string {
  if (template !== undefined && template !== '') {
    if (!template.includes('#')) return template
    const chars = [...value]
    let out = ''
    let ti = 0
    for (const ch of chars) {
      const t = template[ti]
      if (t === undefined) {
        out += isAlnum(ch) ? '*' : ch
        continue
      }
      ti++
      out += t === '#' ? (isAlnum(ch) ? '*' : ch) : t
    }
    return out
  }
  if (category === 'secret' || category === 'url') return `[REDACTED:${category}]`
  if (category === 'email') {
    const at = value.lastIndexOf('@')
    if (at > 0) {
      const local = [...value.slice(0, at)].map(() => '*').join('')
      const domain = value
        .slice(at + 1)
        .split('.')
        .map((part) => [...part].map(() => '*').join(''))
        .join('.')
      return `${local}@${domain}`
    }
  }
  return [...value].map((ch) => (isAlnum(ch) ? '*' : ch)).join('')
}

const SEPARATOR_INSENSITIVE = new Set<Category>([
  'national_id',
  'tax_id',
  'passport',
  'driver_license',
  'phone',
  'credit_card',
  'bank_account',
  'iban',
  'swift_bic',
  'mac_address',
  'imei',
  'medical_id',
  'postal_code',
  'vehicle_plate',
])

/** Canonical form used for hashing/tokenizing, so "010-1234-5678" and "01012345678" agree. */
export function canonicalValue(value: string, category: Category): string {
  const v = value.normalize('NFKC')
  if (SEPARATOR_INSENSITIVE.has(category)) return v.replace(/[\s\-./()]/g, '').toUpperCase()
  if (category === 'email') return v.toLowerCase()
  return v
}

/** Default location of the per-install secret used by the hash strategy. */
export function defaultSecretPath(): string {
  if (process.env.SPM_DETECTOR_SECRET_FILE) return process.env.SPM_DETECTOR_SECRET_FILE
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'science-paper-manager', 'detector-hash.key')
}

function atomicWrite(path: string, data: string | Buffer, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
  try {
    chmodSync(path, mode)
  } catch {
    /* best effort on filesystems without modes */
  }
}

/** Read the per-install secret, creating a random 32-byte one (mode 0600) when absent. */
export function loadOrCreateSecret(path: string = defaultSecretPath()): Buffer {
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new DetectorError('BAD_SECRET', `hash secret file ${path} is malformed`)
    return Buffer.from(hex, 'hex')
  }
  const key = randomBytes(32)
  atomicWrite(path, key.toString('hex') + '\n')
  return key
}

/** Keyed pseudonym: HMAC-SHA-256(secret, category + canonical value), shown as a short label. */
export function hashValue(key: Buffer, value: string, category: Category): string {
  const mac = createHmac('sha256', key).update(`${category}\u0000${canonicalValue(value, category)}`).digest('hex')
  return `[${categoryLabel(category)}:${mac.slice(0, 16)}]`
}

/**
 * A reversible token store. Contents are kept in memory and saved encrypted with AES-256-GCM; the key
 * is either 32 raw bytes or derived from a passphrase with scrypt (salt stored in the file).
 */
export class TokenVault {
  private readonly entries = new Map<string, string>()

  /** Record a token → raw value pair. */
  put(token: string, value: string): void {
    this.entries.set(token, value)
  }

  get(token: string): string | undefined {
    return this.entries.get(token)
  }

  get size(): number {
    return this.entries.size
  }

  tokens(): string[] {
    return [...this.entries.keys()]
  }

  /** Replace every known token in `text` by its original value. */
  restore(text: string): string {
    return text.replace(/\[[A-Z_]+_\d+\]/g, (t) => this.entries.get(t) ?? t)
  }

  private static key(secret: Buffer | string, salt: Buffer): Buffer {
    if (typeof secret === 'string') return scryptSync(secret, salt, 32, { N: 16384, r: 8, p: 1 })
    if (secret.length !== 32) throw new DetectorError('BAD_KEY', 'vault key must be 32 bytes')
    return secret
  }

  /** Serialise encrypted (JSON with base64 fields). */
  seal(secret: Buffer | string): string {
    const salt = randomBytes(16)
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', TokenVault.key(secret, salt), iv)
    const plain = Buffer.from(JSON.stringify(Object.fromEntries(this.entries)), 'utf8')
    const data = Buffer.concat([cipher.update(plain), cipher.final()])
    return JSON.stringify({
      format: 'spm-token-vault',
      version: 1,
      kdf: typeof secret === 'string' ? 'scrypt' : 'raw',
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    })
  }

  static unseal(sealed: string, secret: Buffer | string): TokenVault {
    let obj: { format?: string; version?: number; salt: string; iv: string; tag: string; data: string }
    try {
      obj = JSON.parse(sealed)
    } catch {
      throw new DetectorError('BAD_VAULT', 'vault file is not valid JSON')
    }
    if (obj.format !== 'spm-token-vault' || obj.version !== 1) throw new DetectorError('BAD_VAULT', 'not a token vault (or unknown version)')
    const decipher = createDecipheriv('aes-256-gcm', TokenVault.key(secret, Buffer.from(obj.salt, 'base64')), Buffer.from(obj.iv, 'base64'))
    decipher.setAuthTag(Buffer.from(obj.tag, 'base64'))
    let plain: Buffer
    try {
      plain = Buffer.concat([decipher.update(Buffer.from(obj.data, 'base64')), decipher.final()])
    } catch {
      throw new DetectorError('VAULT_AUTH', 'vault cannot be decrypted (wrong key or tampered file)')
    }
    const v = new TokenVault()
    for (const [k, val] of Object.entries(JSON.parse(plain.toString('utf8')) as Record<string, string>)) v.put(k, val)
    return v
  }

  save(path: string, secret: Buffer | string): void {
    atomicWrite(path, this.seal(secret))
  }

  static open(path: string, secret: Buffer | string): TokenVault {
    return TokenVault.unseal(readFileSync(path, 'utf8'), secret)
  }
}

/** Per-document tokenizer state: the same value gets the same token within one document. */
export class Tokenizer {
  private readonly byValue = new Map<string, string>()
  private readonly counters = new Map<string, number>()
  constructor(private readonly vault?: TokenVault) {}

  token(value: string, category: Category): string {
    const key = `${category}\u0000${canonicalValue(value, category)}`
    let t = this.byValue.get(key)
    if (!t) {
      const label = categoryLabel(category)
      const n = (this.counters.get(label) ?? 0) + 1
      this.counters.set(label, n)
      t = `[${label}_${n}]`
      this.byValue.set(key, t)
      this.vault?.put(t, value)
    }
    return t
  }
}
