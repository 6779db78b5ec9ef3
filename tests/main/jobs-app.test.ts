import { afterEach, describe, expect, it } from 'vitest'
import type { Platform } from '../../src/main/platform/types'
import type { Job, JobDetail, JobPage } from '../../src/shared/contract'
import { until } from '../fixtures/jobs/harness'
import { startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
let t: TestApp
afterEach(async () => {
  await t?.close()
})

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const r = await t.app.router.invoke(channel, input, ctx)
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
  return r.data as T
}
const fails = async (channel: string, input: unknown) => {
  const r = await t.app.router.invoke(channel, input, ctx)
  return r.ok ? 'ok' : r.error.code
}

describe('jobs over the IPC contract', () => {
  it('validates input, only lets the window start opted-in types, and lists, gets, cancels and retries', async () => {
    t = await startTestApp({ config: { maintenance: { scheduled: false } } })
    const jobs = t.app.services!.jobs
    jobs.register('test.internal', async () => 'x')
    expect(await fails('jobs.add', { type: 'test.internal' })).toBe('UNSUPPORTED')
    expect(await fails('jobs.add', { type: 'no.such.type' })).toBe('NOT_FOUND')
    expect(await fails('jobs.add', { type: 'Bad Type!' })).toBe('VALIDATION')
    expect(await fails('jobs.add', { type: 'library.maintenance', extra: 1 })).toBe('VALIDATION')
    expect(await fails('jobs.add', { type: 'library.maintenance', data: { gentle: 'yes' } })).toBe('VALIDATION')
    expect(await fails('jobs.add', { type: 'library.maintenance', priority: 1e9 })).toBe('VALIDATION')
    expect(await fails('jobs.get', { id: 999 })).toBe('NOT_FOUND')
    expect(await fails('jobs.list', { status: ['bogus'] })).toBe('VALIDATION')

    const j = await call<Job>('jobs.add', { type: 'library.maintenance', data: { gentle: true }, title: 'Check my library', delayMs: 60_000 })
    expect(j).toMatchObject({ type: 'library.maintenance', label: 'Library maintenance', title: 'Check my library', status: 'pending', handled: true })
    const page = await call<JobPage>('jobs.list', { status: ['pending'] })
    expect(page.items.map((x) => x.id)).toContain(j.id)
    expect((await call<Job>('jobs.cancel', { id: j.id })).status).toBe('cancelled')
    expect(await fails('jobs.cancel', { id: j.id })).toBe('CONFLICT')
    const again = await call<Job>('jobs.retry', { id: j.id })
    expect(again.status).toBe('pending')
    await call('jobs.cancel', { id: j.id })
    const stats = await call<{ counts: Record<string, number> }>('jobs.stats')
    expect(stats.counts.cancelled).toBe(1)
    const types = await call<{ type: string; allowFromUi: boolean }[]>('jobs.types')
    expect(types).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'library.maintenance', allowFromUi: true })]))
  })

  it('reports queue health and stops first at shutdown, handing running work back', async () => {
    t = await startTestApp({ config: { maintenance: { scheduled: false } } })
    const jobs = t.app.services!.jobs
    let aborted = false
    jobs.register('test.long', (_d, c) => new Promise((_, rej) => c.signal.addEventListener('abort', () => ((aborted = true), rej(c.signal.reason)))))
    const j = jobs.add('test.long', null)
    await until(() => jobs.get(j.id).status === 'running')
    const report = await t.app.services!.health.report(true)
    expect(report.checks.find((c) => c.id === 'jobs')).toMatchObject({ status: 'ok', detail: '1 running, 0 waiting' })
    const sqlite = t.app.services!.db.sqlite
    await t.app.shutdown()
    expect(aborted).toBe(true)
    expect(sqlite.open).toBe(false)
    // Reopen the same folder: the job is waiting again, its run given back.
    const again = await startTestApp({ dir: t.dir, config: { maintenance: { scheduled: false } } })
    expect(again.app.services!.jobs.get(j.id)).toMatchObject({ status: 'pending', attempts: 0 })
    await again.app.shutdown()
  })
})

describe('library maintenance (the first real job type)', () => {
  it('checks and compacts a real database in steps on a worker thread, reporting progress, and notifies', async () => {
    const shown: string[] = []
    t = await startTestApp({
      config: { maintenance: { scheduled: false } },
      platform: (p): Platform => ({ ...p, notify: async (n) => (shown.push(n.title), 'shown') }),
    })
    const { jobs, maintenance, db, notifications } = t.app.services!
    await notifications.updateSetting('job_complete', { native: true })
    // Give it something to reclaim: a table with data, then dropped.
    db.sqlite.exec(`CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO scratch SELECT i, hex(randomblob(300)) FROM n; DROP TABLE scratch;`)
    const progress: number[] = []
    const off = t.app.events.subscribe((name, p) => {
      if (name === 'jobs.changed') for (const j of (p as { jobs: Job[] }).jobs) if (j.type === 'library.maintenance' && j.status === 'running') progress.push(j.progress)
    })
    const j = await call<Job>('maintenance.run', { gentle: false })
    expect(maintenance.runNow().id).toBe(j.id) // deduped while active
    const s = await jobs.waitFor(j.id)
    off()
    expect(s.status).toBe('completed')
    const r = s.result as { integrity: string; tablesChecked: number; freedPages: number; convertedToIncrementalVacuum: boolean; sizeAfterBytes: number; sizeBeforeBytes: number; ftsTables: string[] }
    expect(r.integrity).toBe('ok')
    expect(r.tablesChecked).toBeGreaterThan(4)
    expect(r.convertedToIncrementalVacuum).toBe(true)
    expect(r.sizeAfterBytes).toBeLessThan(r.sizeBeforeBytes)
    expect(db.sqlite.pragma('auto_vacuum', { simple: true })).toBe(2)
    expect(progress.length).toBeGreaterThan(0)
    const detail = await call<JobDetail>('jobs.get', { id: j.id })
    expect(detail.progressMessage).toMatch(/no problems found/)
    await until(() => shown.includes('Library maintenance finished'))
    const status = await call<{ lastRun: Job | null; active: Job | null }>('maintenance.status')
    expect(status).toMatchObject({ lastRun: { id: j.id }, active: null })

    // Second run: now in incremental mode, free pages are reclaimed in bounded steps.
    db.sqlite.exec(`CREATE TABLE scratch2 (b TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO scratch2 SELECT hex(randomblob(300)) FROM n; DROP TABLE scratch2;`)
    expect(db.sqlite.pragma('freelist_count', { simple: true })).toBeGreaterThan(100)
    const second = await jobs.waitFor(maintenance.runNow().id)
    expect((second.result as { freedPages: number }).freedPages).toBeGreaterThan(100)
    expect(db.sqlite.pragma('freelist_count', { simple: true })).toBe(0)
  })

  it('fails with the problems found (not retried) when a check finds broken references', async () => {
    t = await startTestApp({ config: { maintenance: { scheduled: false } } })
    const { jobs, maintenance, db } = t.app.services!
    db.sqlite.exec(`CREATE TABLE parent_x (id INTEGER PRIMARY KEY); CREATE TABLE child_x (pid INTEGER REFERENCES parent_x(id));`)
    db.sqlite.pragma('foreign_keys = OFF')
    db.sqlite.exec(`INSERT INTO child_x VALUES (42)`)
    db.sqlite.pragma('foreign_keys = ON')
    const s = await jobs.waitFor(maintenance.runNow().id)
    expect(s).toMatchObject({ status: 'failed', error: { code: 'INTEGRITY' } })
    expect(s.error!.message).toMatch(/child_x: 1 row\(s\) refer to missing rows/)
    expect(jobs.get(s.id).attempts).toBe(1)
  })

  it('can be cancelled mid-run (gentle mode) and resumes from its checkpoint after a restart', async () => {
    t = await startTestApp({ config: { maintenance: { scheduled: false, gentlePauseMs: 40 } } })
    const { jobs, maintenance } = t.app.services!
    const j = maintenance.runNow({ gentle: true })
    await until(() => jobs.get(j.id).progress > 10)
    await t.app.shutdown()
    const again = await startTestApp({ dir: t.dir, config: { maintenance: { scheduled: false, gentlePauseMs: 1 } } })
    try {
      const q = again.app.services!.jobs
      const d = q.get(j.id)
      expect(d.status === 'pending' || d.status === 'running').toBe(true)
      expect(d.history[0]).toMatchObject({ outcome: 'interrupted' })
      const s = await q.waitFor(j.id)
      expect(s.status).toBe('completed')
      const c = q.get(j.id)
      expect(c.history.map((h) => h.outcome)).toEqual(['interrupted', 'completed'])

      // Cancel while running: the worker is stopped, the job ends cancelled.
      const k = again.app.services!.maintenance.runNow({ gentle: true })
      await until(() => q.get(k.id).status === 'running' && q.get(k.id).progress > 0)
      const done = q.waitFor(k.id)
      q.cancel(k.id)
      expect((await done).status).toBe('cancelled')
    } finally {
      await again.app.shutdown()
    }
  })

  it('queues a catch-up run when the weekly run was missed', async () => {
    let now = 1_800_000_000_000
    t = await startTestApp({ config: { now: () => now, maintenance: { catchUpDelayMs: 60_000 } } })
    const m = t.app.services!.maintenance
    expect(m.status().active).toBeNull() // first start: nothing to catch up
    expect(m.status().nextRunAt).toBeGreaterThan(Date.now())
    await t.app.shutdown()
    now += 8 * 86_400_000
    const again = await startTestApp({ dir: t.dir, config: { now: () => now, maintenance: { catchUpDelayMs: 60_000 } } })
    const active = again.app.services!.maintenance.status().active
    expect(active).toMatchObject({ status: 'pending', runAt: now + 60_000 })
    // "Run now" starts the waiting one instead of adding another.
    expect(again.app.services!.maintenance.runNow()).toMatchObject({ id: active!.id, runAt: now })
    await again.app.shutdown()
  })
})
