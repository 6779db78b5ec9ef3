import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRouter, type Handlers } from '../../src/main/ipc/router'
import { createLogger } from '../../src/main/logger'
import { IpcMetrics } from '../../src/main/monitoring/ipc-metrics'
import { CHANNEL_NAMES } from '../../src/shared/contract'
import { AppError } from '../../src/shared/errors'
import { startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const

describe('router against the real app', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('answers a valid call', async () => {
    const res = await t.app.router.invoke('app.info', undefined, ctx)
    expect(res.ok).toBe(true)
    if (res.ok) expect((res.data as { name: string }).name).toBe('Science Paper Manager')
  })

  it.each([
    ['a missing channel', 'nope.nothing'],
    ['a prototype key', '__proto__'],
    ['toString', 'toString'],
    ['a number', 42],
    ['null', null],
    ['an object', { channel: 'app.info' }],
  ])('rejects %s as UNKNOWN_CHANNEL', async (_label, channel) => {
    const res = await t.app.router.invoke(channel, undefined, ctx)
    expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
  })

  const bad: [string, string, unknown, RegExp][] = [
    ['wrong type', 'secrets.set', { provider: 'openai', key: 12345678 }, /key: Invalid input: expected string/],
    ['enum outside the set', 'secrets.set', { provider: 'bogus', key: 'sk-aaaaaaaaaaaa' }, /provider: Invalid option/],
    ['missing field', 'secrets.delete', {}, /provider/],
    ['extra field', 'secrets.delete', { provider: 'openai', extra: 1 }, /Unrecognized key.*extra/],
    ['string too short', 'secrets.set', { provider: 'openai', key: 'abc' }, /too short/],
    ['non-printable key', 'secrets.set', { provider: 'openai', key: 'sk-abc def ghij' }, /printable ASCII/],
    ['bad url', 'secrets.setBaseUrl', { provider: 'openai_compatible', baseUrl: 'javascript:alert(1)' }, /http\(s\) URL/],
    ['input where none is taken', 'app.info', { a: 1 }, /Invalid input for app\.info/],
    ['array instead of object', 'notifications.markRead', [1, 2], /expected object/],
    ['empty id list', 'notifications.markRead', { ids: [] }, /ids/],
    ['negative id', 'notifications.markRead', { ids: [-1] }, /ids\.0/],
    ['float id', 'notifications.markRead', { ids: [1.5] }, /ids\.0/],
    ['limit over max', 'notifications.list', { limit: 10_000 }, /limit/],
    ['string for boolean', 'notifications.updateSetting', { type: 'test', enabled: 'yes' }, /enabled/],
  ]
  it.each(bad)('rejects %s with a VALIDATION error naming the field', async (_l, channel, input, msg) => {
    const res = await t.app.router.invoke(channel, input, ctx)
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe('VALIDATION')
      expect(res.error.message).toMatch(msg)
      expect(res.error.message).toContain(channel)
    }
  })

  it('never echoes a secret value in a validation error', async () => {
    const secret = 'sk-live-SUPERSECRET value'
    const res = await t.app.router.invoke('secrets.set', { provider: 'openai', key: secret }, ctx)
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.error.message).not.toContain('SUPERSECRET')
  })

  it('records the duration of every call for monitoring', async () => {
    await t.app.router.invoke('notifications.settings', undefined, ctx)
    await t.app.router.invoke('notifications.settings', { bogus: true }, ctx)
    const res = await t.app.router.invoke('monitoring.ipcStats', undefined, ctx)
    expect(res.ok).toBe(true)
    const row = (res.ok ? (res.data as { channel: string; calls: number; errors: number; p95Ms: number }[]) : []).find(
      (r) => r.channel === 'notifications.settings',
    )
    expect(row).toMatchObject({ calls: 2, errors: 1 })
    expect(row!.p95Ms).toBeGreaterThan(0)
  })
})

describe('router error mapping', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'spm-log-'))
  const logger = createLogger({ dir: logDir })
  const logged = () => readFileSync(join(logDir, 'main.log'), 'utf8')
  const base = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, () => null])) as unknown as Handlers

  it('passes AppError code and message through', async () => {
    const r = createRouter({ ...base, 'app.info': () => { throw new AppError('NOT_FOUND', 'No such paper') } }, { metrics: new IpcMetrics(), logger })
    expect(await r.invoke('app.info', undefined, ctx)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No such paper' } })
  })

  it('hides internals of unexpected errors and logs them scrubbed', async () => {
    const r = createRouter(
      {
        ...base,
        'app.info': async () => {
          throw new Error('SQLITE_ERROR at /home/me/secret/path with key=sk-proj-abcdefghijklmnopqrstuvwx')
        },
      },
      { metrics: new IpcMetrics(), logger },
    )
    const res = await r.invoke('app.info', undefined, ctx)
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    if (!res.ok) {
      expect(res.error.message).not.toMatch(/SQLITE|\/home|sk-proj|stack/)
      expect(Object.keys(res.error)).toEqual(['code', 'message'])
    }
    expect(logged()).toContain('SQLITE_ERROR')
    expect(logged()).not.toContain('sk-proj-abcdefghijklmnopqrstuvwx')
  })
})
