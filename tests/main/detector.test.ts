import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Finding, RedactionOutcome } from '../../src/shared/contract'
import { startTestApp, type TestApp } from '../helpers/app'

const ctx = { transport: 'internal' } as const
// Published test values: a Visa test card and a documentation email/IBAN.
const CARD = '4111 1111 1111 1111'
const IBAN = 'DE89 3704 0044 0532 0130 00'
const TEXT = `Contact: jane.doe@example.org\nPaid with ${CARD} on 2024-03-01.\nRefund to ${IBAN} please.`

describe('detector worker through the app (real child process)', () => {
  let t: TestApp
  beforeAll(async () => {
    process.env.SPM_DETECTOR_TEST_HOOKS = '1'
    t = await startTestApp()
  })
  afterAll(async () => {
    delete process.env.SPM_DETECTOR_TEST_HOOKS
    await t.close()
  })

  it('scans in the worker and returns positions, never raw values', async () => {
    const res = await t.app.router.invoke('detector.scan', { text: TEXT }, ctx)
    expect(res.ok).toBe(true)
    const findings = (res.ok ? res.data : []) as Finding[]
    const cats = findings.map((f) => f.category)
    expect(cats).toEqual(expect.arrayContaining(['email', 'credit_card', 'iban']))
    const card = findings.find((f) => f.category === 'credit_card')!
    expect(TEXT.slice(card.start, card.end)).toBe(CARD)
    expect(card).toMatchObject({ line: 2, verified: true })
    expect(JSON.stringify(findings)).not.toContain('4111')
    expect(JSON.stringify(findings)).not.toContain('jane.doe')
    const status = await t.app.router.invoke('detector.status', undefined, ctx)
    expect(status).toMatchObject({ ok: true, data: { running: true, pid: expect.any(Number) } })
  })

  it('redacts with a mask and reports replacements without raw values', async () => {
    const res = await t.app.router.invoke('detector.redact', { text: TEXT, strategy: 'mask' }, ctx)
    expect(res.ok).toBe(true)
    const out = (res.ok ? res.data : null) as RedactionOutcome
    expect(out.text).not.toContain('4111 1111 1111 1111')
    expect(out.text).not.toContain('jane.doe@example.org')
    expect(out.text).toContain('Refund to ')
    expect(out.total).toBeGreaterThanOrEqual(3)
    const { text: _t, ...report } = out
    expect(JSON.stringify(report)).not.toMatch(/4111|jane\.doe|3704/)
  })

  it('rejects oversized and malformed input before it reaches the worker', async () => {
    const big = await t.app.router.invoke('detector.scan', { text: 'x'.repeat(512 * 1024 + 1) }, ctx)
    expect(big).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/longer than/) } })
    const cat = await t.app.router.invoke('detector.scan', { text: 'a', categories: ['ssn'] }, ctx)
    expect(cat).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('restarts a crashed worker and keeps serving', async () => {
    const svc = t.app.services!.detector
    const client = (svc as unknown as { client: { request(m: string, p: unknown): Promise<unknown> } }).client
    await expect(client.request('__crash', {})).rejects.toMatchObject({ code: 'WORKER_CRASHED' })
    const res = await t.app.router.invoke('detector.scan', { text: 'mail me: a.b@example.com' }, ctx)
    expect(res).toMatchObject({ ok: true })
    const status = await svc.status()
    expect(status.restarts).toBeGreaterThanOrEqual(1)
    expect(status.lastError).toMatch(/stopped unexpectedly/)
  })

  it('a stuck scan fails closed with TIMEOUT, never as clean', async () => {
    const svc = t.app.services!.detector
    const client = (svc as unknown as { client: { request(m: string, p: unknown, o: { timeoutMs: number }): Promise<unknown> } }).client
    await expect(client.request('__hang', { ms: 10_000 }, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' })
    const res = await t.app.router.invoke('detector.scan', { text: CARD }, ctx)
    expect(res).toMatchObject({ ok: true })
  })
})
