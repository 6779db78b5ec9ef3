import { statfsSync } from 'node:fs'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import type { HealthCheck, HealthReport, HealthStatus } from '../../shared/contract'
import type { EventBus } from '../events'

export interface CheckResult {
  status: HealthStatus
  detail: string
  metrics?: Record<string, number>
}

export type CheckFn = () => CheckResult | Promise<CheckResult>

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, fail: 2 }
const GiB = 1024 ** 3
const MiB = 1024 ** 2

/**
 * Runs registered checks concurrently, each with a deadline (a hung check is a failure, not a hang).
 * Domains register their own checks (database, keychain, detector, job queue…).
 */
export class HealthService {
  private checks: { id: string; label: string; fn: CheckFn; timeoutMs?: number }[] = []
  private last: HealthReport | null = null
  private loop: IntervalHistogram
  /** A check that has not answered by then counts as failed. */
  timeoutMs = 5000

  constructor(
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.loop = monitorEventLoopDelay({ resolution: 10 })
    this.loop.enable()
  }

  /** `timeoutMs` overrides the default deadline for checks that legitimately take long (integrity). */
  register(id: string, label: string, fn: CheckFn, opts: { timeoutMs?: number } = {}): void {
    this.checks.push({ id, label, fn, timeoutMs: opts.timeoutMs })
  }

  async run(): Promise<HealthReport> {
    const checks = await Promise.all(this.checks.map((c) => this.runOne(c)))
    const status = checks.reduce<HealthStatus>((s, c) => (RANK[c.status] > RANK[s] ? c.status : s), 'ok')
    this.last = { status, checkedAt: this.now(), checks }
    this.events.emit('health.updated', { status, checkedAt: this.last.checkedAt })
    return this.last
  }

  async report(refresh = false): Promise<HealthReport> {
    return !refresh && this.last ? this.last : this.run()
  }

  private async runOne(c: { id: string; label: string; fn: CheckFn; timeoutMs?: number }): Promise<HealthCheck> {
    const t0 = performance.now()
    const timeoutMs = c.timeoutMs ?? this.timeoutMs
    let timer: NodeJS.Timeout | undefined
    let res: CheckResult
    try {
      res = await Promise.race([
        Promise.resolve().then(c.fn),
        new Promise<CheckResult>((resolve) => {
          timer = setTimeout(() => resolve({ status: 'fail', detail: `No answer within ${timeoutMs} ms` }), timeoutMs)
        }),
      ])
    } catch (err) {
      res = { status: 'fail', detail: (err as Error).message.split('\n')[0] }
    } finally {
      clearTimeout(timer)
    }
    return { id: c.id, label: c.label, status: res.status, detail: res.detail, metrics: res.metrics ?? {}, durationMs: performance.now() - t0 }
  }

  /** Host checks every install has: disk, memory, event loop. */
  registerSystemChecks(dataDir: string): void {
    this.register('disk', 'Disk space (data folder)', () => {
      const s = statfsSync(dataDir)
      const free = s.bavail * s.bsize
      const total = s.blocks * s.bsize
      const gb = (free / GiB).toFixed(1)
      const status: HealthStatus = free < 200 * MiB ? 'fail' : free < 1 * GiB ? 'warn' : 'ok'
      return { status, detail: `${gb} GiB free of ${(total / GiB).toFixed(1)} GiB`, metrics: { freeBytes: free, totalBytes: total } }
    })
    this.register('memory', 'Memory', () => {
      const m = process.memoryUsage()
      const rssMb = m.rss / MiB
      const status: HealthStatus = rssMb > 2048 ? 'fail' : rssMb > 1024 ? 'warn' : 'ok'
      return {
        status,
        detail: `${rssMb.toFixed(0)} MiB resident, heap ${(m.heapUsed / MiB).toFixed(0)} of ${(m.heapTotal / MiB).toFixed(0)} MiB`,
        metrics: { rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal },
      }
    })
    this.register('event-loop', 'Event loop responsiveness', (): CheckResult => {
      // Right after start there may be no samples yet; say so rather than report a perfect 0 ms.
      if (this.loop.count < 10) return { status: 'ok', detail: 'Measuring… (just started)', metrics: {} }
      const p99 = this.loop.percentile(99) / 1e6
      const max = this.loop.max / 1e6
      const mean = this.loop.mean / 1e6
      this.loop.reset()
      const status: HealthStatus = p99 > 200 ? 'fail' : p99 > 50 ? 'warn' : 'ok'
      return { status, detail: `lag p99 ${p99.toFixed(1)} ms (max ${max.toFixed(1)} ms)`, metrics: { p99Ms: p99, maxMs: max, meanMs: mean } }
    })
  }

  close(): void {
    this.loop.disable()
  }
}
