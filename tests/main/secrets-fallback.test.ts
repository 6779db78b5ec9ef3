import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app'

// Own file (own process): libsecret keeps its D-Bus connection for the life of a process.
const ctx = { transport: 'internal' } as const
const KEY = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6'

function allFileBytes(dir: string): string {
  let out = ''
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += readFileSync(join(e.parentPath, e.name)).toString('latin1')
  }
  return out
}

describe('fallback when the keychain is unreachable', () => {
  let t: TestApp
  let saved: string | undefined
  beforeAll(async () => {
    // Point D-Bus at nothing: keytar loads but cannot reach a Secret Service.
    saved = process.env.DBUS_SESSION_BUS_ADDRESS
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/bus'
    t = await startTestApp({ config: { useKeychain: true, keychainService: 'spm-test-unreachable' } })
  })
  afterAll(async () => {
    if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved
    await t.close()
  })

  it('falls back to the encrypted file, tells the user why, and keeps keys out of plain files and the database', async () => {
    const status = await t.app.router.invoke('secrets.status', undefined, ctx)
    expect(status).toMatchObject({ ok: true, data: { kind: 'encrypted-file', fallbackReason: expect.stringMatching(/keychain unavailable/i) } })
    const set = await t.app.router.invoke('secrets.set', { provider: 'openai_compatible', key: KEY, baseUrl: 'http://127.0.0.1:11434/v1' }, ctx)
    expect(set).toMatchObject({ ok: true, data: { hasKey: true, masked: 'sk-…O5p6', baseUrl: 'http://127.0.0.1:11434/v1' } })
    expect(allFileBytes(t.dir)).not.toContain('A1b2C3d4')
    const logs = readFileSync(join(t.dir, 'logs', 'main.log'), 'utf8')
    expect(logs).not.toContain('A1b2C3d4')
  })

  it('rejects a base URL for a provider that has none', async () => {
    const res = await t.app.router.invoke('secrets.set', { provider: 'openai', key: KEY, baseUrl: 'http://x.test' }, ctx)
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/only applies/) } })
    expect(JSON.stringify(res)).not.toContain('A1b2C3d4')
  })
})
