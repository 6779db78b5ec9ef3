import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { getPriority } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { integrityCheck, migrationsFolder, migrationState, openDatabase } from '../../src/main/db/connection'
import { DB_FILE } from '../../src/main/app'
import { SqlWorker } from '../../src/main/db/sql-worker'
import { startTestApp, tempDir } from '../helpers/app'

describe('database', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => cleanups.splice(0).forEach((c) => c()))
  const tmp = () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    return t.dir
  }

  it.runIf(process.platform === 'linux')('runs background statements on a lowest-priority thread without lowering the app', async () => {
    const file = join(tmp(), 'lib.sqlite')
    openDatabase(file).close()
    const before = getPriority()
    const worker = new SqlWorker(file)
    try {
      expect((await worker.exec('PRAGMA quick_check')).rows[0]).toEqual({ quick_check: 'ok' })
      expect(worker.nice).toBe(19)
      expect(getPriority()).toBe(before) // the main thread keeps its priority
    } finally {
      await worker.close()
    }
  })

  it('creates the file with WAL, foreign keys and a busy timeout, and applies every shipped migration', () => {
    const file = join(tmp(), 'sub', 'lib.sqlite')
    const db = openDatabase(file)
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
    const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'))
    expect(migrationState(db.sqlite)).toEqual({ applied: journal.entries.length, shipped: journal.entries.length })
    const tables = db.sqlite.prepare("select name from sqlite_master where type='table'").pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['settings', 'notifications', 'notification_settings']))
    db.close()
  })

  it('is idempotent: reopening applies nothing twice and keeps data', () => {
    const file = join(tmp(), 'lib.sqlite')
    const a = openDatabase(file)
    a.sqlite.prepare("insert into settings(key, value, updated_at) values ('k', '1', 1)").run()
    a.close()
    const b = openDatabase(file)
    expect(b.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBe(migrationState(b.sqlite).shipped)
    expect(b.sqlite.prepare("select value from settings where key='k'").pluck().get()).toBe('1')
    b.close()
  })

  it('refuses a file that is not a database with a clear error and leaves it untouched', () => {
    const file = join(tmp(), 'lib.sqlite')
    const junk = Buffer.from('this is my thesis draft, not a database '.repeat(200))
    writeFileSync(file, junk)
    expect(() => openDatabase(file)).toThrow(/not a valid SQLite database or is corrupt.*left untouched/)
    expect(readFileSync(file).equals(junk)).toBe(true)
  })

  it('finds a corrupted page with the off-thread integrity check and reports it at startup', async () => {
    const dir = tmp()
    const file = join(dir, DB_FILE)
    openDatabase(file).close()
    const raw = new Database(file)
    raw.pragma('journal_mode = DELETE')
    raw.exec('create table t(x text); create index t_x on t(x);')
    const ins = raw.prepare('insert into t values (?)')
    raw.transaction(() => {
      for (let i = 0; i < 3000; i++) ins.run(`row-${i}-${'y'.repeat(50)}`)
    })()
    raw.close()
    const bytes = readFileSync(file)
    // Scribble over b-tree pages near the end of the file (the schema on page 1 stays readable).
    bytes.fill(0xa5, bytes.length - 4096 * 20, bytes.length - 4096 * 20 + 2048)
    writeFileSync(file, bytes)
    expect(await integrityCheck(file)).not.toBe('ok')
    // Opening stays fast (no full scan on the main thread); the startup health check reports it.
    const t = await startTestApp({ dir, config: { startupHealthCheck: true } })
    expect(t.app.services).not.toBeNull()
    const report = await t.app.services!.health.report()
    expect(report.checks.find((c) => c.id === 'database')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/Integrity check failed/) })
    const warn = t.app.services!.notifications.list().items.find((n) => n.type === 'health_warning')
    expect(warn).toMatchObject({ priority: 'high', message: expect.stringMatching(/Library database: Integrity check failed/) })
    // Then the app stops using the damaged file: the UI gets the error screen, other calls are refused.
    expect(t.app.info.fatal).toMatchObject({ code: 'DATABASE', path: file, message: expect.stringMatching(/damaged[\s\S]*nothing was deleted/) })
    expect(await t.app.router.invoke('app.info', undefined, { transport: 'internal' })).toMatchObject({ ok: true, data: { fatal: { code: 'DATABASE' } } })
    expect(await t.app.router.invoke('library.stats', undefined, { transport: 'internal' })).toMatchObject({ ok: false, error: { code: 'DATABASE' } })
    await t.close()
  })

  it('boots the app degraded with an explanation when the database is unreadable', async () => {
    const dir = tmp()
    writeFileSync(join(dir, DB_FILE), 'garbage'.repeat(1000))
    const t = await startTestApp({ dir })
    expect(t.app.services).toBeNull()
    expect(t.app.info.fatal).toMatchObject({ code: 'DATABASE', path: join(dir, DB_FILE) })
    const info = await t.app.router.invoke('app.info', undefined, { transport: 'internal' })
    expect(info).toMatchObject({ ok: true, data: { fatal: { code: 'DATABASE' } } })
    const other = await t.app.router.invoke('notifications.list', undefined, { transport: 'internal' })
    expect(other).toMatchObject({ ok: false, error: { code: 'DATABASE' } })
    await t.close()
  })
})
