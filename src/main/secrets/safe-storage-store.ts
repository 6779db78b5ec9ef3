import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../fs/atomic'
import type { SecretStore } from './store'

export interface SafeStorageLike {
  isAvailable(): boolean
  encrypt(plain: string): Buffer
  decrypt(cipher: Buffer): string
}

/** Electron fallback: values encrypted with safeStorage (OS-level key), kept in a JSON file. */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage' as const
  constructor(
    private readonly file: string,
    private readonly safe: SafeStorageLike,
  ) {}

  private read(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {}
  }
  async probe() {
    if (!this.safe.isAvailable()) throw new Error('Electron safeStorage encryption is not available')
  }
  async get(account: string) {
    const v = this.read()[account]
    return v === undefined ? null : this.safe.decrypt(Buffer.from(v, 'base64'))
  }
  async set(account: string, value: string) {
    await this.probe()
    const map = this.read()
    map[account] = this.safe.encrypt(value).toString('base64')
    writeFileAtomic(this.file, JSON.stringify(map), 0o600)
  }
  async delete(account: string) {
    const map = this.read()
    if (!(account in map)) return false
    delete map[account]
    writeFileAtomic(this.file, JSON.stringify(map), 0o600)
    return true
  }
}
