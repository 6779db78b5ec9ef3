import { afterEach, describe, expect, it } from 'vitest'
import { FatalJobError, HttpStatusError, parseRetryAfter, RetryableJobError } from '../../src/main/jobs/errors'
import { backoffDelay, classifyError } from '../../src/main/jobs/retry'
import type { JobContext } from '../../src/main/jobs/types'
import { settle } from '../fixtures/jobs/fake-clock'
import { deferred, makeQueue, until, type Harness } from '../fixtures/jobs/harness'

let h: Harness
afterEach(async () => {
  await h?.close()
})

const row = (id: number) => h.db.sqlite.prepare('SELECT * FROM background_jobs WHERE id = ?').get(id) as Record<string, unknown>

describe('job queue: ordering and concurrency', () => {
  it('runs by priority, then age', async () => {
    h = makeQueue()
    const order: string[] = []
    const add = (name: string, priority = 0) => h.q.add('t.order', { name }, { priority })
    add('old-low')
    add('high', 5)
    add('mid', 1)
    add('new-low')
    add('high-later', 5)
    h.q.register('t.order', async (d: { name: string }) => void order.push(d.name))
    await until(() => order.length === 5)
    expect(order).toEqual(['high', 'high-later', 'mid', 'old-low', 'new-low'])
  })

  it('keeps each type within its own concurrency limit', async () => {
    h = makeQueue()
    const live = { a: 0, b: 0 }
    const peak = { a: 0, b: 0 }
    const gates: (() => void)[] = []
    const handler = (k: 'a' | 'b') => async () => {
      live[k]++
      peak[k] = Math.max(peak[k], live[k])
      await new Promise<void>((r) => gates.push(r))
      live[k]--
    }
    h.q.register('t.a', handler('a'), { concurrency: 3 })
    h.q.register('t.b', handler('b'), { concurrency: 1 })
    const ids = [...h.q.addBatch('t.a', Array.from({ length: 8 }, (_, i) => ({ data: i }))), ...h.q.addBatch('t.b', [{ data: 1 }, { data: 2 }, { data: 3 }])]
    let done = 0
    for (const id of ids) void h.q.waitFor(id).then(() => done++)
    while (done < ids.length) {
      await settle()
      expect(live.a).toBeLessThanOrEqual(3)
      expect(live.b).toBeLessThanOrEqual(1)
      gates.shift()?.()
      await settle()
    }
    expect(peak).toEqual({ a: 3, b: 1 })
    expect(h.q.stats().counts.completed).toBe(11)
  })

  it('dedupes active jobs by key, and batches in one transaction', () => {
    h = makeQueue({}, false)
    const a = h.q.add('t.d', { n: 1 }, { dedupeKey: 'k' })
    const b = h.q.add('t.d', { n: 2 }, { dedupeKey: 'k' })
    expect(b.id).toBe(a.id)
    const ids = h.q.addBatch('t.d', [{ data: 1, dedupeKey: 'k' }, { data: 2 }, { data: 3, dedupeKey: 'k2' }])
    expect(ids[0]).toBe(a.id)
    expect(new Set(ids).size).toBe(3)
    h.q.cancel(a.id)
    expect(h.q.add('t.d', {}, { dedupeKey: 'k' }).id).not.toBe(a.id)
  })
})

describe('job queue: cancellation', () => {
  it('cancels a pending job: it never runs', async () => {
    h = makeQueue()
    const ran: number[] = []
    const j = h.q.add('t.c', 1, { delayMs: 1000 })
    h.q.register('t.c', async (d: number) => void ran.push(d))
    expect(h.q.cancel(j.id).status).toBe('cancelled')
    await h.clock.advance(5000)
    expect(ran).toEqual([])
    expect(() => h.q.cancel(j.id)).toThrow(/already been cancelled/)
  })

  it('cancels a running job: the signal aborts the handler, no retry, the slot frees up', async () => {
    h = makeQueue()
    const started = deferred()
    let sawAbort: unknown = null
    h.q.register('t.run', async (_d, ctx: JobContext) => {
      started.resolve()
      await new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => {
          sawAbort = ctx.signal.reason
          reject(ctx.signal.reason)
        }),
      )
    })
    const j = h.q.add('t.run', null)
    const next = h.q.add('t.run', null)
    await started.promise
    expect(h.q.get(j.id).status).toBe('running')
    const settled = h.q.waitFor(j.id)
    expect(h.q.cancel(j.id).status).toBe('cancelled')
    expect((await settled).status).toBe('cancelled')
    expect((sawAbort as DOMException).name).toBe('AbortError')
    await until(() => h.q.get(next.id).status === 'running')
    const detail = h.q.get(j.id)
    expect(detail).toMatchObject({ status: 'cancelled', attempts: 1 })
    expect(detail.history.at(-1)).toMatchObject({ outcome: 'cancelled' })
    h.q.cancel(next.id)
  })

  it('retries a failed or cancelled job from scratch', async () => {
    h = makeQueue()
    let calls = 0
    h.q.register('t.r', async () => {
      calls++
      if (calls === 1) throw new FatalJobError('BAD_INPUT', 'nope')
      return 'ok'
    })
    const j = h.q.add('t.r', null)
    expect(await h.q.waitFor(j.id)).toMatchObject({ status: 'failed', error: { code: 'BAD_INPUT' } })
    expect(() => h.q.retry(h.q.add('t.r', null, { delayMs: 10_000 }).id)).toThrow(/Only failed or cancelled/)
    expect(h.q.retry(j.id)).toMatchObject({ status: 'pending', attempts: 0, error: null })
    expect(await h.q.waitFor(j.id)).toMatchObject({ status: 'completed', result: 'ok' })
    expect(h.q.get(j.id).history.map((a) => a.outcome)).toEqual(['failed', 'completed'])
  })
})

describe('job queue: retries', () => {
  it('backs off exponentially with jitter (fake clock), then fails after max attempts with the cause kept', async () => {
    h = makeQueue({ backoff: { baseMs: 2000, capMs: 30_000 } })
    const runs: number[] = []
    h.q.register('t.flaky', async () => {
      runs.push(h.clock.now())
      throw new RetryableJobError('upstream busy', undefined, { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })
    })
    const t0 = h.clock.now()
    const j = h.q.add('t.flaky', null)
    await until(() => runs.length === 1)
    // random() = 0.5 → delay = exp/2 + 0.5·exp/2 = 0.75·exp: 1500 ms after run 1, 3000 ms after run 2.
    expect(h.q.get(j.id)).toMatchObject({ status: 'pending', runAt: t0 + 1500, error: { code: 'ECONNRESET' } })
    await h.clock.advance(1499)
    expect(runs).toHaveLength(1)
    await h.clock.advance(1)
    await until(() => runs.length === 2)
    expect(runs[1] - t0).toBe(1500)
    await h.clock.advance(2999)
    expect(runs).toHaveLength(2)
    await h.clock.advance(1)
    await until(() => runs.length === 3)
    expect(runs[2] - runs[1]).toBe(3000)
    const s = await h.q.waitFor(j.id)
    expect(s).toMatchObject({ status: 'failed', error: { code: 'ECONNRESET', message: 'upstream busy ← socket hang up' } })
    expect(h.q.get(j.id).history.map((a) => a.outcome)).toEqual(['retry', 'retry', 'failed'])
  })

  it('computes the delay with jitter and a cap', () => {
    const o = { baseMs: 2000, capMs: 30_000 }
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, o, () => 0))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000])
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, o, () => 1))).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000])
  })

  it('honours Retry-After from a 429', async () => {
    h = makeQueue()
    let calls = 0
    h.q.register('t.limited', async () => {
      if (++calls === 1) throw new HttpStatusError(429, 'Too many requests', parseRetryAfter('7'))
      return 'done'
    })
    const t0 = h.clock.now()
    const j = h.q.add('t.limited', null)
    await until(() => calls === 1 && h.q.get(j.id).status === 'pending')
    expect(h.q.get(j.id)).toMatchObject({ runAt: t0 + 7000, error: { code: 'HTTP_429' } })
    await h.clock.advance(6999)
    expect(calls).toBe(1)
    await h.clock.advance(1)
    expect(await h.q.waitFor(j.id)).toMatchObject({ status: 'completed', result: 'done' })
    expect(parseRetryAfter(new Date(t0 + 30_000).toUTCString(), t0)).toBe(30_000)
  })

  it('classifies by error type and code, never by message words', async () => {
    const fetchFailed = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })
    // A real request to a server that never answers, cut off by AbortSignal.timeout().
    const { createServer } = await import('node:net')
    const server = createServer(() => {})
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    const timeout = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e)
    server.close()
    expect((timeout as Error).name).toBe('TimeoutError')
    const cases: [unknown, boolean][] = [
      [new RetryableJobError('try later'), true],
      [new HttpStatusError(503, 'Service unavailable'), true],
      [new HttpStatusError(408, 'Request timeout'), true],
      [new HttpStatusError(404, 'Not found'), false],
      [new HttpStatusError(401, 'Unauthorized — retry with a timeout'), false],
      [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), true],
      [Object.assign(new Error('x'), { code: 'EAI_AGAIN' }), true],
      [fetchFailed, true],
      [new DOMException('signal timed out', 'TimeoutError'), true],
      [new Error('network timeout, connection reset, 503, please retry'), false],
      [new FatalJobError('BAD_FILE', 'Connection reset while parsing'), false],
      [Object.assign(new Error('no such file'), { code: 'ENOENT' }), false],
    ]
    for (const [err, retryable] of cases) expect([String(err), classifyError(err).retryable]).toEqual([String(err), retryable])
    expect(classifyError(timeout).retryable).toBe(true)
    expect(classifyError(fetchFailed).code).toBe('UND_ERR_SOCKET')
  })

  it('fails a fatal error at once (one attempt) and a retryable one only after max attempts', async () => {
    h = makeQueue()
    h.q.register('t.fatal', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'timeout')")
    })
    const j = h.q.add('t.fatal', null, { maxAttempts: 5 })
    expect(await h.q.waitFor(j.id)).toMatchObject({ status: 'failed', error: { code: 'TypeError' } })
    expect(h.q.get(j.id).attempts).toBe(1)
  })

  it('times out a run that exceeds the type timeout and retries it', async () => {
    h = makeQueue()
    let calls = 0
    h.q.register(
      't.slow',
      async (_d, ctx) => {
        calls++
        if (calls > 1) return 'fast enough'
        await new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)))
      },
      { timeoutMs: 5000 },
    )
    const j = h.q.add('t.slow', null)
    await until(() => calls === 1)
    await h.clock.advance(5000)
    await until(() => h.q.get(j.id).status === 'pending')
    expect(h.q.get(j.id).error?.code).toBe('TIMEOUT')
    await h.clock.advance(2000)
    expect(await h.q.waitFor(j.id)).toMatchObject({ status: 'completed', result: 'fast enough' })
  })
})

describe('job queue: progress, events, ETA', () => {
  it('throttles events: a chatty job produces a handful of coalesced batches, with the final state', async () => {
    h = makeQueue({ eventThrottleMs: 250 })
    const go = deferred()
    h.q.register('t.chatty', async (_d, ctx) => {
      for (let i = 1; i <= 5000; i++) ctx.progress(i / 50, `step ${i}`)
      await go.promise
      for (let i = 0; i < 5000; i++) ctx.progress(100, 'done')
    })
    const j = h.q.add('t.chatty', null)
    await until(() => h.q.get(j.id).progress === 100)
    await h.clock.advance(0)
    const first = h.events.length
    expect(first).toBeLessThanOrEqual(2)
    go.resolve()
    await h.q.waitFor(j.id)
    await h.clock.advance(100)
    expect(h.events.length).toBe(first) // still inside the window
    await h.clock.advance(150)
    expect(h.events.length).toBe(first + 1)
    const last = h.events.at(-1)!
    expect(last.jobs.find((x) => x.id === j.id)).toMatchObject({ status: 'completed', progress: 100, progressMessage: 'done' })
    expect(last.active).toEqual({ running: 0, pending: 0 })
    // Progress hits the database at most once per progressWriteMs, not 10,000 times.
    expect(row(j.id).progress_message).toBe('done')
  })

  it('flags overflow when more jobs changed than one event carries', async () => {
    h = makeQueue()
    h.q.addBatch('t.many', Array.from({ length: 150 }, (_, i) => ({ data: i })))
    await h.clock.advance(0)
    const e = h.events.at(-1)!
    expect(e.overflow).toBe(true)
    expect(e.jobs).toHaveLength(100)
    expect(e.active.pending).toBe(150)
  })

  it('estimates completion from the job’s own rate and the history of its type', async () => {
    h = makeQueue()
    let gate = deferred()
    let ctxRef: JobContext | null = null
    h.q.register('t.eta', async (_d, ctx) => {
      ctxRef = ctx
      await gate.promise
    })
    // No history yet, no progress: no estimate.
    const j = h.q.add('t.eta', null)
    await until(() => ctxRef !== null)
    expect(h.q.get(j.id).eta).toBeNull()
    await h.clock.advance(10_000)
    ctxRef!.progress(25)
    // 25 % in 10 s → 30 s left at that rate.
    expect(h.q.get(j.id).eta).toMatchObject({ remainingMs: 30_000, basis: 'progress', at: h.clock.now() + 30_000 })
    await h.clock.advance(30_000)
    gate.resolve()
    await h.q.waitFor(j.id)
    expect(h.q.stats().byType.find((t) => t.type === 't.eta')!.avgDurationMs).toBe(40_000)

    // With history (one run of 40 s): a waiting job is expected to take 40 s after its start time…
    gate = deferred()
    ctxRef = null
    const p = h.q.add('t.eta', null, { delayMs: 5000 })
    expect(h.q.get(p.id).eta).toMatchObject({ basis: 'history', remainingMs: 45_000 })
    await h.clock.advance(5000)
    await until(() => ctxRef !== null)
    // …and a running one blends both: 10 % after 2 s → own rate says 18 s, history 38 s; weight ½ each.
    await h.clock.advance(2000)
    ctxRef!.progress(10)
    expect(h.q.get(p.id).eta).toMatchObject({ basis: 'blend', remainingMs: 28_000 })
    // From 20 % on the job's own rate alone counts.
    await h.clock.advance(2000)
    ctxRef!.progress(20)
    expect(h.q.get(p.id).eta).toMatchObject({ basis: 'blend', remainingMs: 16_000 })
    gate.resolve()
    await h.q.waitFor(p.id)
  })
})

describe('job queue: notifications and retention', () => {
  it('notifies completion and final failure of user-visible jobs only', async () => {
    h = makeQueue()
    h.q.register('t.visible', async (d: { fail: boolean }, ctx) => {
      ctx.progress(100, 'Imported 3 papers.')
      if (d.fail) throw new FatalJobError('BAD_FILE', 'The file is not BibTeX')
    }, { userVisible: true, label: 'Import BibTeX' })
    h.q.register('t.quiet', async () => {})
    await h.q.waitFor(h.q.add('t.visible', { fail: false }, { title: 'Import refs.bib' }).id)
    await h.q.waitFor(h.q.add('t.visible', { fail: true }).id)
    await h.q.waitFor(h.q.add('t.quiet', null).id)
    await settle()
    expect(h.notified).toEqual([
      expect.objectContaining({ type: 'job_complete', title: 'Import refs.bib finished', message: 'Imported 3 papers.' }),
      expect.objectContaining({ type: 'job_failed', title: 'Import BibTeX failed', message: 'The file is not BibTeX', priority: 'high' }),
    ])
  })

  it('keeps completed jobs 7 days and failed 30 days, then deletes them', async () => {
    const DAY = 86_400_000
    h = makeQueue({ heartbeatMs: DAY })
    const now = h.clock.now()
    const ins = h.db.sqlite.prepare(
      `INSERT INTO background_jobs (type, status, run_at, created_at, updated_at, completed_at) VALUES ('t.old', ?, 0, 0, 0, ?)`,
    )
    const keep = [ins.run('completed', now - 6 * DAY), ins.run('failed', now - 29 * DAY), ins.run('pending', null), ins.run('cancelled', now - DAY)]
    const drop = [ins.run('completed', now - 8 * DAY), ins.run('failed', now - 31 * DAY), ins.run('cancelled', now - 8 * DAY)]
    expect(h.q.cleanup()).toEqual({ deleted: 3 })
    for (const r of keep) expect(row(Number(r.lastInsertRowid))).toBeTruthy()
    for (const r of drop) expect(row(Number(r.lastInsertRowid))).toBeUndefined()
    // And it runs on its own schedule: two days later the 6-day-old completed job is gone too.
    await h.clock.advance(2 * DAY)
    expect(row(Number(keep[0].lastInsertRowid))).toBeUndefined()
  })
})

describe('job queue: shutdown and leases', () => {
  it('on stop, aborts running handlers and hands their jobs back; a new queue resumes from the checkpoint', async () => {
    h = makeQueue()
    const seen: unknown[] = []
    const handler = async (_d: unknown, ctx: JobContext) => {
      seen.push(ctx.checkpoint)
      const from = (ctx.checkpoint as { next: number } | null)?.next ?? 0
      for (let i = from; i < 10; i++) {
        ctx.signal.throwIfAborted()
        ctx.saveCheckpoint!({ next: i + 1 })
        ctx.progress((i + 1) * 10)
        if (i === 3 && from === 0) await new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)))
      }
      return 'finished'
    }
    h.q.register('t.resume', handler)
    const j = h.q.add('t.resume', null)
    await until(() => h.q.get(j.id).progress === 40)
    await h.q.stop()
    expect(h.q.get(j.id)).toMatchObject({ status: 'pending', attempts: 0, progress: 40 })
    expect(h.q.get(j.id).history.at(-1)).toMatchObject({ outcome: 'interrupted' })

    const { JobQueue } = await import('../../src/main/jobs/queue')
    const { createLogger } = await import('../../src/main/logger')
    const q2 = new JobQueue({ sqlite: h.db.sqlite, logger: createLogger({ level: 'error' }) }, { clock: h.clock, owner: 'test-host:2:bbbb' })
    q2.register('t.resume', handler)
    q2.start()
    expect(await q2.waitFor(j.id)).toMatchObject({ status: 'completed', result: 'finished' })
    expect(seen).toEqual([null, { next: 4 }])
    expect(q2.get(j.id).attempts).toBe(1)
    await q2.stop()
  })

  it('takes over a job whose owner stopped renewing its lease, and the stale owner cannot complete it', async () => {
    h = makeQueue({ leaseMs: 30_000, heartbeatMs: 10_000 })
    const { JobQueue } = await import('../../src/main/jobs/queue')
    const { createLogger } = await import('../../src/main/logger')
    // A second owner claims the job, then "hangs" (never heartbeats: its queue timers are on a clock that never moves).
    const { FakeClock } = await import('../fixtures/jobs/fake-clock')
    const frozen = new FakeClock(h.clock.now())
    const stale = new JobQueue({ sqlite: h.db.sqlite, logger: createLogger({ level: 'error' }) }, { clock: frozen, owner: 'other-host:7:cccc' })
    const release = deferred()
    let staleCtx: JobContext | null = null
    stale.register('t.lease', async (_d, ctx) => {
      staleCtx = ctx
      await release.promise
      return 'stale'
    })
    const j = stale.add('t.lease', null)
    stale.start()
    await until(() => staleCtx !== null)
    h.q.register('t.lease', async () => 'fresh')
    await h.clock.advance(29_000)
    expect(h.q.get(j.id).status).toBe('running')
    await h.clock.advance(11_000) // heartbeat at 40 s sees the lease expired at 30 s
    expect(await h.q.waitFor(j.id)).toMatchObject({ status: 'completed', result: 'fresh' })
    release.resolve()
    await settle()
    expect(staleCtx!.saveCheckpoint!({})).toBe(false)
    expect(h.q.get(j.id)).toMatchObject({ status: 'completed' })
    expect(row(j.id).result).toBe('"fresh"')
    expect(h.q.get(j.id).history.map((a) => [a.owner, a.outcome])).toEqual([
      ['other-host:7:cccc', 'interrupted'],
      ['test-host:1:aaaa', 'completed'],
    ])
    await stale.stop()
  })
})
