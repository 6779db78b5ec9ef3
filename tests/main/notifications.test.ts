import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NativeNotification, Platform } from '../../src/main/platform/types'
import type { EventPayload } from '../../src/shared/contract'
import { startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const

describe('notifications', () => {
  let t: TestApp
  let shown: NativeNotification[]
  let events: { name: string; payload: unknown }[]
  let clock: number

  beforeEach(async () => {
    shown = []
    events = []
    clock = 1_700_000_000_000
    // Electron's Notification is replaced at the platform adapter: record what would be shown natively.
    t = await startTestApp({
      config: { now: () => clock },
      platform: (p): Platform => ({ ...p, notify: async (n) => (shown.push(n), 'shown') }),
    })
    t.app.events.subscribe((name, payload) => events.push({ name, payload }))
  })
  afterEach(() => t.close())

  const svc = () => t.app.services!.notifications

  it('stores, pushes an event, and shows a native notification for types that default to native', async () => {
    const n = await svc().notify({ type: 'analysis_complete', title: 'Analysis done', message: 'Paper X summarised', data: { paperId: 7 }, priority: 'high' })
    expect(n).toMatchObject({ id: expect.any(Number), type: 'analysis_complete', data: { paperId: 7 }, priority: 'high', readAt: null, createdAt: clock })
    expect(shown).toEqual([{ title: 'Analysis done', body: 'Paper X summarised', urgency: 'normal' }])
    const created = events.find((e) => e.name === 'notifications.created')!.payload as EventPayload<'notifications.created'>
    expect(created).toMatchObject({ notification: { id: n!.id }, unread: 1, native: false })
    const row = t.app.services!.db.sqlite.prepare('select * from notifications where id = ?').get(n!.id)
    expect(row).toMatchObject({ type: 'analysis_complete', title: 'Analysis done', data: '{"paperId":7}' })
  })

  it('keeps informational types in-app only by default', async () => {
    await svc().notify({ type: 'paper_added', title: 'Added', message: '3 papers' })
    expect(shown).toHaveLength(0)
  })

  it('respects per-type settings immediately: disabled types are dropped, native can be switched off', async () => {
    await t.app.router.invoke('notifications.updateSetting', { type: 'backup_failed', native: false }, ctx)
    await svc().notify({ type: 'backup_failed', title: 'Backup failed', message: 'disk full' })
    expect(shown).toHaveLength(0)
    expect(svc().unreadCount()).toBe(1)

    await t.app.router.invoke('notifications.updateSetting', { type: 'backup_failed', enabled: false }, ctx)
    expect(await svc().notify({ type: 'backup_failed', title: 'Backup failed again', message: 'disk full' })).toBeNull()
    expect(svc().unreadCount()).toBe(1)

    await t.app.router.invoke('notifications.updateSetting', { type: 'paper_added', native: true }, ctx)
    await svc().notify({ type: 'paper_added', title: 'Added', message: '1 paper' })
    expect(shown.map((s) => s.title)).toEqual(['Added'])

    const settings = await t.app.router.invoke('notifications.settings', undefined, ctx)
    expect(settings).toMatchObject({
      ok: true,
      data: expect.arrayContaining([
        expect.objectContaining({ type: 'backup_failed', enabled: false, native: false }),
        expect.objectContaining({ type: 'paper_added', enabled: true, native: true }),
      ]),
    })
  })

  it('lists newest first with keyset pagination, marks read, marks all read, and deletes', async () => {
    for (let i = 1; i <= 5; i++) {
      clock += 1000
      await svc().notify({ type: 'job_complete', title: `Job ${i}`, message: 'done' })
    }
    const p1 = svc().list({ limit: 2 })
    expect(p1.items.map((n) => n.title)).toEqual(['Job 5', 'Job 4'])
    expect(p1.unread).toBe(5)
    const p2 = svc().list({ limit: 2, before: p1.nextCursor! })
    expect(p2.items.map((n) => n.title)).toEqual(['Job 3', 'Job 2'])
    const p3 = svc().list({ limit: 2, before: p2.nextCursor! })
    expect(p3.items.map((n) => n.title)).toEqual(['Job 1'])
    expect(p3.nextCursor).toBeNull()

    const res = await t.app.router.invoke('notifications.markRead', { ids: [p1.items[0].id] }, ctx)
    expect(res).toMatchObject({ ok: true, data: { unread: 4 } })
    expect(events.at(-1)).toEqual({ name: 'notifications.unread', payload: { unread: 4 } })
    expect(svc().list({ unreadOnly: true }).items.map((n) => n.title)).toEqual(['Job 4', 'Job 3', 'Job 2', 'Job 1'])

    expect(svc().markAllRead()).toEqual({ unread: 0 })
    expect(svc().list().items.every((n) => n.readAt === clock)).toBe(true)
    expect(svc().delete([p3.items[0].id])).toEqual({ unread: 0 })
    expect(svc().list().items).toHaveLength(4)
  })

  it('prunes only read notifications older than the limit', async () => {
    await svc().notify({ type: 'job_complete', title: 'old read', message: '' })
    await svc().notify({ type: 'job_complete', title: 'old unread', message: '' })
    svc().markRead([svc().list().items.find((n) => n.title === 'old read')!.id])
    clock += 40 * 86_400_000
    await svc().notify({ type: 'job_complete', title: 'new', message: '' })
    expect(svc().prune(30 * 86_400_000)).toBe(1)
    expect(svc().list().items.map((n) => n.title)).toEqual(['new', 'old unread'])
  })

  it('a failing native notifier never loses the stored notification', async () => {
    const t2 = await startTestApp({ platform: (p) => ({ ...p, notify: async () => { throw new Error('no notification daemon') } }) })
    const n = await t2.app.services!.notifications.notify({ type: 'security_alert', title: 'Alert', message: 'x' })
    expect(n).not.toBeNull()
    expect(t2.app.services!.notifications.unreadCount()).toBe(1)
    await t2.close()
  })
})
