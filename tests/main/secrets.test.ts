import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EncryptedFileSecretStore } from '../../src/main/secrets/file-store'
import { KeytarSecretStore } from '../../src/main/secrets/keytar-store'
import { SafeStorageSecretStore } from '../../src/main/secrets/safe-storage-store'
import { maskKey } from '../../src/main/secrets/service'
import { startTestApp, tempDir, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
const KEY = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6'

/** Every byte the app wrote to disk: keys must appear in none of them. */
function allFileBytes(dir: string): string {
  let out = ''
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += readFileSync(join(e.parentPath, e.name)).toString('latin1')
  }
  return out
}

describe('EncryptedFileSecretStore (plain-Node fallback)', () => {
  const t = tempDir()
  afterAll(t.cleanup)

  it('round-trips, encrypts at rest, and writes the file readable by the owner only', async () => {
    const file = join(t.dir, 'a', 'secrets.enc')
    const s = new EncryptedFileSecretStore(file, 'correct horse')
    await s.set('provider:openai', KEY)
    expect(await s.get('provider:openai')).toBe(KEY)
    expect(readFileSync(file, 'utf8')).not.toContain('A1b2C3d4')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ v: 1, kdf: { name: 'scrypt' } })
    expect(statSync(file).mode & 0o077).toBe(0)
    expect(await new EncryptedFileSecretStore(file, 'correct horse').get('provider:openai')).toBe(KEY)
    expect(await s.delete('provider:openai')).toBe(true)
    expect(await s.delete('provider:openai')).toBe(false)
    expect(await s.get('provider:openai')).toBeNull()
  })

  it('refuses a wrong passphrase and a tampered file with a clear error', async () => {
    const file = join(t.dir, 'b.enc')
    await new EncryptedFileSecretStore(file, 'right').set('x', 'value-123456')
    await expect(new EncryptedFileSecretStore(file, 'wrong').get('x')).rejects.toThrow(/could not be decrypted/)
    const env = JSON.parse(readFileSync(file, 'utf8'))
    const data = Buffer.from(env.data, 'base64')
    data[0] ^= 1
    writeFileSync(file, JSON.stringify({ ...env, data: data.toString('base64') }))
    await expect(new EncryptedFileSecretStore(file, 'right').get('x')).rejects.toThrow(/could not be decrypted/)
  })

  it('without a passphrase creates a private random key file beside the store', async () => {
    const file = join(t.dir, 'c', 'secrets.enc')
    await new EncryptedFileSecretStore(file).set('x', 'value-123456')
    const keyFile = join(t.dir, 'c', 'secrets.key')
    expect(existsSync(keyFile)).toBe(true)
    expect(statSync(keyFile).mode & 0o077).toBe(0)
    expect(await new EncryptedFileSecretStore(file).get('x')).toBe('value-123456')
  })
})

describe('SafeStorageSecretStore (Electron fallback)', () => {
  const t = tempDir()
  afterAll(t.cleanup)
  // safeStorage itself is Electron's; the fake is at the platform boundary and does real AES so bytes differ.
  const key = randomBytes(32)
  const { createCipheriv, createDecipheriv } = require('node:crypto') as typeof import('node:crypto')
  const fake = (available = true) => ({
    isAvailable: () => available,
    encrypt: (s: string) => {
      const iv = randomBytes(16)
      const c = createCipheriv('aes-256-cbc', key, iv)
      return Buffer.concat([iv, c.update(s, 'utf8'), c.final()])
    },
    decrypt: (b: Buffer) => {
      const d = createDecipheriv('aes-256-cbc', key, b.subarray(0, 16))
      return Buffer.concat([d.update(b.subarray(16)), d.final()]).toString('utf8')
    },
  })

  it('stores only encrypted values and round-trips', async () => {
    const file = join(t.dir, 'secrets.safe')
    const s = new SafeStorageSecretStore(file, fake())
    await s.set('provider:xai', KEY)
    expect(readFileSync(file, 'utf8')).not.toContain('A1b2C3d4')
    expect(await s.get('provider:xai')).toBe(KEY)
    expect(await s.delete('provider:xai')).toBe(true)
  })

  it('reports when safeStorage is unavailable', async () => {
    const s = new SafeStorageSecretStore(join(t.dir, 'x.safe'), fake(false))
    await expect(s.probe()).rejects.toThrow(/safeStorage/)
    await expect(s.set('a', 'b')).rejects.toThrow(/safeStorage/)
  })
})

describe('masking', () => {
  it.each([
    [KEY, 'sk-…O5p6'],
    ['AIzaSyA-1234567890abcdefghij', 'AIz…ghij'],
    ['shortkey9', '…y9'],
  ])('%s → %s', (k, m) => expect(maskKey(k)).toBe(m))
})

const keyringAvailable = process.env.SPM_KEYRING_AVAILABLE === '1'
if (process.env.CI === 'true' && !keyringAvailable) {
  throw new Error('CI must run vitest inside scripts/with-keyring.sh so the keychain tests are real')
}

describe.skipIf(!keyringAvailable)('OS keychain through keytar (real gnome-keyring in a private D-Bus session)', () => {
  const service = `spm-test-${process.pid}-${Date.now()}`
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ config: { useKeychain: true, keychainService: service } })
  })
  afterAll(() => t.close())

  it('uses the keychain and says so', async () => {
    const res = await t.app.router.invoke('secrets.status', undefined, ctx)
    expect(res).toMatchObject({ ok: true, data: { kind: 'keychain', fallbackReason: null } })
  })

  it('adds, replaces, lists masked and deletes a key; nothing lands in files or the database', async () => {
    const set = await t.app.router.invoke('secrets.set', { provider: 'anthropic', key: 'sk-ant-api03-FIRSTKEY-aaaaaaaaaaaa' }, ctx)
    expect(set).toMatchObject({ ok: true, data: { provider: 'anthropic', hasKey: true, masked: 'sk-…aaaa' } })
    await t.app.router.invoke('secrets.set', { provider: 'anthropic', key: KEY }, ctx)
    const store = await KeytarSecretStore.load(service)
    expect(await store.get('provider:anthropic')).toBe(KEY)
    const list = await t.app.router.invoke('secrets.list', undefined, ctx)
    expect(JSON.stringify(list)).not.toContain('A1b2C3d4')
    expect(list).toMatchObject({ ok: true, data: expect.arrayContaining([expect.objectContaining({ provider: 'anthropic', masked: 'sk-…O5p6' })]) })
    expect(allFileBytes(t.dir)).not.toContain('A1b2C3d4')
    const del = await t.app.router.invoke('secrets.delete', { provider: 'anthropic' }, ctx)
    expect(del).toMatchObject({ ok: true, data: { hasKey: false, masked: null } })
    expect(await store.get('provider:anthropic')).toBeNull()
  })
})
