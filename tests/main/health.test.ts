import { describe, expect, it } from 'vitest'
import { checkForUpdates } from '../../src/main/updater/service'
import { createNodePlatform } from '../../src/main/platform/node'
import { startTestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const

describe('health', () => {
  it('reports database, secret store, disk, memory and event loop with real figures', async () => {
    const t = await startTestApp()
    await new Promise((r) => setTimeout(r, 300)) // let the event-loop monitor collect samples
    const res = await t.app.router.invoke('health.report', { refresh: true }, ctx)
    expect(res.ok).toBe(true)
    const report = res.ok ? (res.data as import('../../src/shared/contract').HealthReport) : null!
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]))
    expect(Object.keys(byId).sort()).toEqual(expect.arrayContaining(['database', 'detector', 'disk', 'event-loop', 'keychain', 'memory']))
    expect(byId.detector).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^\d+ patterns loaded \(pid \d+\)$/) })
    expect(byId.detector.metrics.patterns).toBeGreaterThan(100)
    expect(byId.database).toMatchObject({ status: 'ok', detail: expect.stringMatching(/Integrity ok, \d+ migrations applied/) })
    expect(byId.database.metrics.sizeBytes).toBeGreaterThan(0)
    expect(byId.disk.metrics.freeBytes).toBeGreaterThan(0)
    expect(byId.memory.metrics.rssBytes).toBeGreaterThan(10 * 1024 * 1024)
    expect(byId['event-loop'].detail).toMatch(/^lag p99 \d+\.\d ms/)
    expect(byId['event-loop'].metrics.p99Ms).toBeGreaterThanOrEqual(0)
    // The test app runs without a keychain: a warning that says which store is in use.
    expect(byId.keychain).toMatchObject({ status: 'warn', detail: expect.stringMatching(/encrypted file/) })
    expect(report.status).toBe('warn')
    await t.close()
  })

  it('fails the database check when migrations are missing, and a hung check times out as a failure', async () => {
    const t = await startTestApp()
    t.app.services!.db.sqlite.prepare('delete from __drizzle_migrations').run()
    const h = t.app.services!.health
    h.timeoutMs = 200
    h.register('stuck', 'A stuck check', () => new Promise(() => {}))
    const report = await h.run()
    expect(report.checks.find((c) => c.id === 'database')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/out of date: 0 of \d+/) })
    expect(report.checks.find((c) => c.id === 'stuck')).toMatchObject({ status: 'fail', detail: 'No answer within 200 ms' })
    expect(report.status).toBe('fail')
    await t.close()
  })

  it('runs at startup and notifies when something is wrong (secret store no longer decryptable)', async () => {
    const first = await startTestApp()
    await first.app.router.invoke('secrets.set', { provider: 'gemini', key: 'AIzaSyA-1234567890abcdefghij' }, ctx)
    await first.app.shutdown()
    // Same folder, different passphrase: the encrypted secret file can no longer be opened.
    const again = await startTestApp({
      dir: first.dir,
      config: { startupHealthCheck: true },
      platform: (p) => createNodePlatform({ userData: p.paths.userData, secretsPassphrase: 'another passphrase' }),
    })
    const warn = again.app.services!.notifications.list().items.find((n) => n.type === 'health_warning')
    expect(warn).toMatchObject({ title: 'Secret store: needs attention', priority: 'high' })
    expect(warn!.message).toMatch(/could not be decrypted/)
    await again.close()
    await first.close()
  })

  it('does not notify at startup for event-loop lag measured while the app boots; the check still reports it', async () => {
    const block = (ms: number) => {
      const end = Date.now() + ms
      while (Date.now() < end);
    }
    // Long synchronous stalls during the start-up delay push the lag p99 far over the 50 ms warning line.
    const stalls = [150, 400, 650].map((at) => setTimeout(() => block(100), at))
    const t = await startTestApp({ config: { startupHealthCheck: true, startupDelayMs: 900 } })
    stalls.forEach(clearTimeout)
    expect(t.app.services!.notifications.list().items.filter((n) => n.type === 'health_warning')).toEqual([])
    await new Promise((r) => setTimeout(r, 150))
    block(120)
    await new Promise((r) => setTimeout(r, 150))
    const loop = (await t.app.services!.health.run()).checks.find((c) => c.id === 'event-loop')
    expect(loop?.metrics.maxMs).toBeGreaterThanOrEqual(100) // on the Health page, not as a notification
    await t.close()
  })

  it('stays quiet at startup when everything is fine', async () => {
    const t = await startTestApp({ config: { startupHealthCheck: true } })
    expect(t.app.services!.notifications.list().items.filter((n) => n.type === 'health_warning')).toEqual([])
    await t.close()
  })
})

describe('updates', () => {
  it('never checks where updates are unsupported (browser mode, tests)', async () => {
    const t = await startTestApp()
    let called = false
    const v = await checkForUpdates({ supported: false, check: async () => ((called = true), { version: '9.9.9' }) }, t.app.services!.notifications, t.app.logger)
    expect(v).toBeNull()
    expect(called).toBe(false)
    await t.close()
  })

  it('notifies "update available" when the updater finds one, and stays quiet when offline', async () => {
    const t = await startTestApp()
    const n = t.app.services!.notifications
    expect(await checkForUpdates({ supported: true, check: async () => ({ version: '1.2.3' }) }, n, t.app.logger)).toBe('1.2.3')
    expect(n.list().items[0]).toMatchObject({ type: 'update_available', title: 'Update 1.2.3 is available', data: { version: '1.2.3' } })
    expect(await checkForUpdates({ supported: true, check: async () => { throw new Error('ENOTFOUND') } }, n, t.app.logger)).toBeNull()
    expect(n.list().items).toHaveLength(1)
    await t.close()
  })
})
