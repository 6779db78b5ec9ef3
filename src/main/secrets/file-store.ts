import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../fs/atomic'
import type { SecretStore } from './store'

interface Envelope {
  v: 1
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  iv: string
  tag: string
  data: string
}

const KDF = { N: 1 << 15, r: 8, p: 1 }

/**
 * Plain-Node fallback when no keychain is reachable: one AES-256-GCM encrypted JSON map, key derived
 * with scrypt from a passphrase (SPM_SECRETS_PASSPHRASE) or, failing that, from a random key file
 * readable only by the user.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const
  private cache: { salt: Buffer; key: Buffer } | null = null

  constructor(
    readonly file: string,
    private readonly passphrase?: string,
  ) {}

  private secret(): string {
    if (this.passphrase) return this.passphrase
    const keyFile = join(dirname(this.file), 'secrets.key')
    if (!existsSync(keyFile)) writeFileAtomic(keyFile, randomBytes(32).toString('base64'), 0o600)
    return readFileSync(keyFile, 'utf8').trim()
  }

  private keyFor(salt: Buffer): Buffer {
    if (this.cache && this.cache.salt.equals(salt)) return this.cache.key
    const key = scryptSync(this.secret(), salt, 32, { N: KDF.N, r: KDF.r, p: KDF.p, maxmem: 64 * 1024 * 1024 })
    this.cache = { salt, key }
    return key
  }

  private read(): { map: Record<string, string>; salt: Buffer } {
    if (!existsSync(this.file)) return { map: {}, salt: randomBytes(16) }
    const env = JSON.parse(readFileSync(this.file, 'utf8')) as Envelope
    if (env.v !== 1 || env.kdf?.name !== 'scrypt') throw new Error(`unsupported secret file format in ${this.file}`)
    const salt = Buffer.from(env.kdf.salt, 'base64')
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(salt), Buffer.from(env.iv, 'base64'))
    decipher.setAuthTag(Buffer.from(env.tag, 'base64'))
    let plain: string
    try {
      plain = Buffer.concat([decipher.update(Buffer.from(env.data, 'base64')), decipher.final()]).toString('utf8')
    } catch {
      throw new Error(`the secret file ${this.file} could not be decrypted (wrong passphrase or tampered file)`)
    }
    return { map: JSON.parse(plain) as Record<string, string>, salt }
  }

  private write(map: Record<string, string>, salt: Buffer): void {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(salt), iv)
    const data = Buffer.concat([cipher.update(JSON.stringify(map), 'utf8'), cipher.final()])
    const env: Envelope = {
      v: 1,
      kdf: { name: 'scrypt', ...KDF, salt: salt.toString('base64') },
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    }
    writeFileAtomic(this.file, JSON.stringify(env), 0o600)
  }

  async probe() {
    this.read()
  }
  async get(account: string) {
    return this.read().map[account] ?? null
  }
  async set(account: string, value: string) {
    const { map, salt } = this.read()
    map[account] = value
    this.write(map, salt)
  }
  async delete(account: string) {
    const { map, salt } = this.read()
    if (!(account in map)) return false
    delete map[account]
    this.write(map, salt)
    return true
  }
}
