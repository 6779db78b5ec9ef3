import type Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import {
  JOB_STATUSES,
  type Job,
  type JobAttempt,
  type JobCounts,
  type JobDetail,
  type JobEta,
  type JobPage,
  type JobStats,
  type JobStatus,
  type JobTypeInfo,
} from '../../shared/contract/jobs'
import { AppError } from '../../shared/errors'
import type { EventBus } from '../events'
import type { Logger } from '../logger'
import type { NotifyInput } from '../notifications/service'
import { systemClock, type JobClock } from './clock'
import { backoffDelay, classifyError, describe, type BackoffOptions } from './retry'
import type { AddJobOptions, BatchJob, JobContext, JobHandler, JobTypeOptions } from './types'

export interface JobQueueOptions {
  /** Identifies this process in leases; default host:pid:random. */
  owner: string
  clock: JobClock
  /** For jitter; tests make it deterministic. */
  random: () => number
  backoff: BackoffOptions
  /** Default attempts when neither the job nor its type says otherwise. */
  maxAttempts: number
  /** Longest Retry-After honoured. */
  maxRetryAfterMs: number
  /** A running job whose owner has not renewed its lease for this long is returned to the queue. */
  leaseMs: number
  heartbeatMs: number
  /** At most one `jobs.changed` event per window. */
  eventThrottleMs: number
  /** Progress is written to the database at most this often per job (events carry it sooner). */
  progressWriteMs: number
  retention: { completedMs: number; failedMs: number; intervalMs: number }
  /** How long stop() waits for aborted handlers before giving their jobs back. */
  shutdownGraceMs: number
  /** Runs interrupted by crashes more often than this fail the job instead of looping. */
  maxInterruptions: number
}

export interface JobQueueDeps {
  sqlite: Database.Database
  logger: Logger
  events?: EventBus
  notifications?: { notify(n: NotifyInput): Promise<unknown> }
}

/** A finished job as internal listeners see it. */
export interface SettledJob {
  id: number
  type: string
  status: 'completed' | 'failed' | 'cancelled'
  result: unknown
  error: { code: string; message: string } | null
}

const DAY = 24 * 3600 * 1000

export function defaultQueueOptions(): JobQueueOptions {
  return {
    owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    clock: systemClock(),
    random: Math.random,
    backoff: { baseMs: 2000, capMs: 30_000 },
    maxAttempts: 3,
    maxRetryAfterMs: 3600_000,
    leaseMs: 30_000,
    heartbeatMs: 10_000,
    eventThrottleMs: 250,
    progressWriteMs: 1000,
    retention: { completedMs: 7 * DAY, failedMs: 30 * DAY, intervalMs: 6 * 3600_000 },
    shutdownGraceMs: 5000,
    maxInterruptions: 5,
  }
}

interface RawRow {
  id: number
  type: string
  title: string | null
  status: JobStatus
  priority: number
  data: string | null
  progress: number
  progress_message: string | null
  result: string | null
  error_code: string | null
  error_message: string | null
  attempts: number
  max_attempts: number
  interruptions: number
  run_at: number
  lease_owner: string | null
  lease_expires_at: number | null
  heartbeat_at: number | null
  dedupe_key: string | null
  checkpoint: string | null
  history: string
  created_at: number
  started_at: number | null
  completed_at: number | null
  updated_at: number
}

interface TypeEntry {
  type: string
  handler: JobHandler
  label: string
  concurrency: number
  maxAttempts?: number
  userVisible: boolean
  timeoutMs?: number
  allowFromUi: boolean
  dataSchema?: { parse(data: unknown): unknown }
  running: number
}

type AbortKind = 'cancel' | 'shutdown' | 'lease-lost' | 'timeout'

interface RunningJob {
  id: number
  entry: TypeEntry
  attempt: number
  startedAt: number
  controller: AbortController
  abortKind: AbortKind | null
  progress: number
  message: string | null
  /** First progress sample of this run, for the job's own rate. */
  firstPct: number
  firstAt: number
  dirty: boolean
  lastWrite: number
  timeout: unknown
  settled: Promise<void>
}

const parse = (s: string | null): unknown => (s == null ? null : JSON.parse(s))
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v))

function jsonData(v: unknown): string | null {
  try {
    return json(v)
  } catch (err) {
    throw new AppError('VALIDATION', `Job data must be JSON-serialisable: ${(err as Error).message}`)
  }
}

function clampPct(p: number): number {
  return Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0
}

/**
 * The embedded, persistent job queue (main process). Jobs live in `background_jobs`; this class claims
 * them per type under a lease, runs registered handlers with a signal and a progress callback, retries
 * transient failures with backoff, and hands work left behind by a dead process back to the queue.
 * All database access is short synchronous statements; the pump yields to the event loop between rounds.
 */
export class JobQueue {
  readonly opts: JobQueueOptions
  private readonly types = new Map<string, TypeEntry>()
  private readonly running = new Map<number, RunningJob>()
  private readonly settledListeners = new Set<(j: SettledJob) => void>()
  private readonly changed = new Set<number>()
  /** Per type: mean duration of recent completed runs (ms), loaded lazily, then a moving average. */
  private readonly durations = new Map<string, { avg: number | null; samples: number }>()
  private overflow = false
  private started = false
  private stopping = false
  private pumpScheduled = false
  private wakeTimer: unknown = null
  private wakeAt = Infinity
  private heartbeatTimer: unknown = null
  private retentionTimer: unknown = null
  private flushTimer: unknown = null
  private lastFlush = -Infinity
  private readonly st: ReturnType<JobQueue['prepare']>

  constructor(
    private readonly deps: JobQueueDeps,
    opts: Partial<JobQueueOptions> = {},
  ) {
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<JobQueueOptions>
    this.opts = { ...defaultQueueOptions(), ...given }
    this.st = this.prepare()
  }

  private get now(): number {
    return this.opts.clock.now()
  }

  private prepare() {
    const db = this.deps.sqlite
    const ACTIVE = `status IN ('pending', 'running')`
    const MINE = `id = @id AND status = 'running' AND lease_owner = @owner`
    const RELEASE = `lease_owner = NULL, lease_expires_at = NULL, updated_at = @now`
    const LAST = `history = json_replace(history, '$[#-1]', json(@entry))`
    return {
      insert: db.prepare(
        `INSERT INTO background_jobs (type, title, status, priority, data, max_attempts, run_at, dedupe_key, history, created_at, updated_at)
         VALUES (@type, @title, 'pending', @priority, @data, @maxAttempts, @runAt, @dedupeKey, '[]', @now, @now)
         ON CONFLICT DO NOTHING RETURNING id`,
      ),
      byDedupe: db.prepare(`SELECT * FROM background_jobs WHERE dedupe_key = ? AND ${ACTIVE}`),
      byId: db.prepare(`SELECT * FROM background_jobs WHERE id = ?`),
      claim: db.prepare(
        `UPDATE background_jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @exp, heartbeat_at = @now,
           attempts = attempts + 1, started_at = @now, updated_at = @now,
           history = json_insert(history, '$[#]', json_object('attempt', attempts + 1, 'owner', @owner, 'startedAt', @now,
             'finishedAt', NULL, 'outcome', 'running', 'errorCode', NULL, 'errorMessage', NULL, 'retryAt', NULL))
         WHERE id IN (SELECT id FROM background_jobs INDEXED BY background_jobs_claim_idx
                      WHERE status = 'pending' AND type = @type AND run_at <= @now ORDER BY priority DESC, id LIMIT @n)
           AND +status = 'pending'
         RETURNING *`,
      ),
      complete: db.prepare(
        `UPDATE background_jobs SET status = 'completed', result = @result, progress = 100, progress_message = @m, completed_at = @now,
           error_code = NULL, error_message = NULL, checkpoint = NULL, ${RELEASE}, ${LAST} WHERE ${MINE}`,
      ),
      retryLater: db.prepare(
        `UPDATE background_jobs SET status = 'pending', run_at = @runAt, error_code = @code, error_message = @message,
           ${RELEASE}, ${LAST} WHERE ${MINE}`,
      ),
      fail: db.prepare(
        `UPDATE background_jobs SET status = 'failed', completed_at = @now, error_code = @code, error_message = @message,
           ${RELEASE}, ${LAST} WHERE ${MINE}`,
      ),
      release: db.prepare(
        `UPDATE background_jobs SET status = 'pending', run_at = @now, attempts = max(attempts - 1, 0), ${RELEASE}, ${LAST}
         WHERE ${MINE}`,
      ),
      progress: db.prepare(`UPDATE background_jobs SET progress = @p, progress_message = @m, updated_at = @now WHERE ${MINE}`),
      checkpoint: db.prepare(
        `UPDATE background_jobs SET checkpoint = @c, progress = @p, progress_message = @m, updated_at = @now WHERE ${MINE}`,
      ),
      renew: db.prepare(
        `UPDATE background_jobs SET lease_expires_at = @exp, heartbeat_at = @now WHERE lease_owner = @owner AND status = 'running' RETURNING id`,
      ),
      othersRunning: db.prepare(
        `SELECT id, lease_owner, lease_expires_at, interruptions FROM background_jobs WHERE status = 'running' AND (lease_owner IS NULL OR lease_owner != ?)`,
      ),
      requeueInterrupted: db.prepare(
        `UPDATE background_jobs SET status = 'pending', run_at = @now, attempts = max(attempts - 1, 0), interruptions = interruptions + 1,
           history = json_set(history, '$[#-1].outcome', 'interrupted', '$[#-1].finishedAt', @now), ${RELEASE}
         WHERE id = @id AND status = 'running' AND lease_owner IS @was`,
      ),
      failInterrupted: db.prepare(
        `UPDATE background_jobs SET status = 'failed', completed_at = @now, error_code = 'INTERRUPTED',
           error_message = 'The job was interrupted by a crash too many times.', interruptions = interruptions + 1,
           history = json_set(history, '$[#-1].outcome', 'interrupted', '$[#-1].finishedAt', @now), ${RELEASE}
         WHERE id = @id AND status = 'running' AND lease_owner IS @was`,
      ),
      cancel: db.prepare(
        `UPDATE background_jobs SET status = 'cancelled', completed_at = @now, ${RELEASE},
           history = CASE WHEN status = 'running' THEN json_set(history, '$[#-1].outcome', 'cancelled', '$[#-1].finishedAt', @now) ELSE history END
         WHERE id = @id AND ${ACTIVE}`,
      ),
      retry: db.prepare(
        `UPDATE background_jobs SET status = 'pending', attempts = 0, interruptions = 0, run_at = @now, error_code = NULL, error_message = NULL,
           completed_at = NULL, started_at = NULL, progress = 0, progress_message = NULL, checkpoint = NULL, result = NULL, history = @history,
           updated_at = @now
         WHERE id = @id AND status IN ('failed', 'cancelled')`,
      ),
      reschedule: db.prepare(`UPDATE background_jobs SET run_at = @runAt, updated_at = @now WHERE id = @id AND status = 'pending'`),
      nextWake: db.prepare(
        `SELECT run_at FROM background_jobs INDEXED BY background_jobs_run_at_idx
         WHERE status = 'pending' AND run_at > @now AND type IN (SELECT value FROM json_each(@types)) ORDER BY run_at LIMIT 1`,
      ),
      active: db.prepare(`SELECT status, count(*) AS n FROM background_jobs WHERE ${ACTIVE} GROUP BY status`),
      counts: db.prepare(`SELECT type, status, count(*) AS n FROM background_jobs GROUP BY type, status`),
      oldestPending: db.prepare(`SELECT min(created_at) AS t FROM background_jobs WHERE status = 'pending'`),
      recentDurations: db.prepare(
        `SELECT completed_at - started_at AS d FROM background_jobs INDEXED BY background_jobs_type_idx
         WHERE type = ? AND status = 'completed' AND started_at IS NOT NULL ORDER BY id DESC LIMIT 20`,
      ),
      deleteOld: db.prepare(
        `DELETE FROM background_jobs WHERE id IN (SELECT id FROM background_jobs WHERE status = @status AND completed_at < @before LIMIT 1000)`,
      ),
    }
  }

  // ───────────────────────────── registration ─────────────────────────────

  /** Registers the handler for a job type (once per type). Pending jobs of the type start right away. */
  register<D = unknown, R = unknown>(type: string, handler: JobHandler<D, R>, opts: JobTypeOptions = {}): void {
    if (this.types.has(type)) throw new Error(`job type ${type} is already registered`)
    if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(type) || type.length > 100) throw new Error(`invalid job type ${JSON.stringify(type)}`)
    this.types.set(type, {
      type,
      handler: handler as JobHandler,
      label: opts.label ?? type,
      concurrency: Math.max(1, Math.floor(opts.concurrency ?? 1)),
      maxAttempts: opts.maxAttempts,
      userVisible: opts.userVisible ?? false,
      timeoutMs: opts.timeoutMs,
      allowFromUi: opts.allowFromUi ?? false,
      dataSchema: opts.dataSchema,
      running: 0,
    })
    this.schedule()
  }

  listTypes(): JobTypeInfo[] {
    return [...this.types.values()].map((t) => ({
      type: t.type,
      label: t.label,
      concurrency: t.concurrency,
      userVisible: t.userVisible,
      allowFromUi: t.allowFromUi,
    }))
  }

  /** Called with every job that reaches a final state in this process. */
  onSettled(cb: (j: SettledJob) => void): () => void {
    this.settledListeners.add(cb)
    return () => this.settledListeners.delete(cb)
  }

  // ───────────────────────────── adding ─────────────────────────────

  /** Adds a job; with a dedupeKey, an active job with the same key is returned instead. */
  add<D = unknown>(type: string, data: D, opts: AddJobOptions = {}): Job {
    const now = this.now
    const row = this.st.insert.get({
      type,
      title: opts.title ?? null,
      priority: Math.trunc(opts.priority ?? 0),
      data: jsonData(data),
      maxAttempts: this.maxAttemptsFor(type, opts.maxAttempts),
      runAt: now + Math.max(0, opts.delayMs ?? 0),
      dedupeKey: opts.dedupeKey ?? null,
      now,
    }) as { id: number } | undefined
    if (!row) {
      const existing = this.st.byDedupe.get(opts.dedupeKey) as RawRow | undefined
      if (existing) return this.toJob(existing)
      throw new AppError('CONFLICT', 'A job with this key was added at the same moment; try again.')
    }
    this.markChanged(row.id)
    this.schedule()
    return this.get(row.id)
  }

  /** Adds many jobs of one type in one transaction. Returns their ids (the existing id for a deduped one). */
  addBatch<D = unknown>(type: string, items: BatchJob<D>[], opts: { maxAttempts?: number } = {}): number[] {
    const now = this.now
    const maxAttempts = this.maxAttemptsFor(type, opts.maxAttempts)
    const ids = this.deps.sqlite.transaction(() =>
      items.map((it) => {
        const row = this.st.insert.get({
          type,
          title: it.title ?? null,
          priority: Math.trunc(it.priority ?? 0),
          data: jsonData(it.data),
          maxAttempts,
          runAt: now,
          dedupeKey: it.dedupeKey ?? null,
          now,
        }) as { id: number } | undefined
        if (row) return row.id
        return (this.st.byDedupe.get(it.dedupeKey) as RawRow).id
      }),
    )()
    for (const id of ids) this.markChanged(id)
    this.schedule()
    return ids
  }

  /** For the IPC surface: only types that opted in, with their data validated. */
  addFromUi(type: string, data: unknown, opts: AddJobOptions): Job {
    return this.add(type, this.uiData(type, data), opts)
  }

  addBatchFromUi(type: string, items: BatchJob[], opts: { maxAttempts?: number }): number[] {
    return this.addBatch(
      type,
      items.map((it) => ({ ...it, data: this.uiData(type, it.data) })),
      opts,
    )
  }

  private uiData(type: string, data: unknown): unknown {
    const t = this.types.get(type)
    if (!t) throw new AppError('NOT_FOUND', `Unknown job type ${type}`)
    if (!t.allowFromUi) throw new AppError('UNSUPPORTED', `Jobs of type ${type} cannot be started from the window`)
    if (!t.dataSchema) return data
    try {
      return t.dataSchema.parse(data ?? {})
    } catch (err) {
      throw new AppError('VALIDATION', `Invalid data for ${type}: ${describe(err).slice(0, 300)}`)
    }
  }

  private maxAttemptsFor(type: string, explicit?: number): number {
    const n = explicit ?? this.types.get(type)?.maxAttempts ?? this.opts.maxAttempts
    return Math.max(1, Math.min(100, Math.floor(n)))
  }

  // ───────────────────────────── reading ─────────────────────────────

  get(id: number): JobDetail {
    const row = this.st.byId.get(id) as RawRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `Job ${id} does not exist (finished jobs are cleaned up after a while)`)
    return { ...this.toJob(row), data: parse(row.data), result: parse(row.result), history: parse(row.history) as JobAttempt[] }
  }

  /** An active job with this dedupe key, if any. */
  findActive(dedupeKey: string): Job | null {
    const row = this.st.byDedupe.get(dedupeKey) as RawRow | undefined
    return row ? this.toJob(row) : null
  }

  list(filter: { status?: JobStatus[]; type?: string; limit?: number; before?: number } = {}): JobPage {
    const limit = Math.min(200, Math.max(1, filter.limit ?? 50))
    const where: string[] = []
    const args: unknown[] = []
    if (filter.status?.length) {
      where.push(`status IN (${filter.status.map(() => '?').join(', ')})`)
      args.push(...filter.status)
    }
    if (filter.type) {
      where.push('type = ?')
      args.push(filter.type)
    }
    if (filter.before) {
      where.push('id < ?')
      args.push(filter.before)
    }
    const sql = `SELECT * FROM background_jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
    const rows = this.deps.sqlite.prepare(sql).all(...args, limit + 1) as RawRow[]
    const items = rows.slice(0, limit).map((r) => this.toJob(r))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null }
  }

  stats(): JobStats {
    const empty = (): JobCounts => Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as JobCounts
    const counts = empty()
    const byType = new Map<string, JobCounts>()
    for (const r of this.st.counts.all() as { type: string; status: JobStatus; n: number }[]) {
      counts[r.status] += r.n
      if (!byType.has(r.type)) byType.set(r.type, empty())
      byType.get(r.type)![r.status] += r.n
    }
    for (const t of this.types.keys()) if (!byType.has(t)) byType.set(t, empty())
    return {
      counts,
      byType: [...byType].map(([type, c]) => ({ type, label: this.types.get(type)?.label ?? type, ...c, avgDurationMs: this.avgMs(type) })),
      oldestPendingAt: (this.st.oldestPending.get() as { t: number | null }).t,
    }
  }

  /** Pending and running jobs, across processes sharing the database. */
  active(): { running: number; pending: number } {
    const out = { running: 0, pending: 0 }
    for (const r of this.st.active.all() as { status: 'pending' | 'running'; n: number }[]) out[r.status] = r.n
    return out
  }

  /** Resolves when the job reaches a final state in this process (or is already final). */
  waitFor(id: number): Promise<SettledJob> {
    return new Promise((resolve) => {
      const off = this.onSettled((j) => {
        if (j.id === id) {
          off()
          resolve(j)
        }
      })
      const row = this.st.byId.get(id) as RawRow | undefined
      if (row && (row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled')) {
        off()
        resolve(this.settledOf(row))
      }
    })
  }

  private settledOf(row: RawRow): SettledJob {
    return {
      id: row.id,
      type: row.type,
      status: row.status as SettledJob['status'],
      result: parse(row.result),
      error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    }
  }

  private toJob(row: RawRow): Job {
    const local = this.running.get(row.id)
    const live = local && row.status === 'running' && row.lease_owner === this.opts.owner
    const progress = live ? local.progress : row.progress
    return {
      id: row.id,
      type: row.type,
      label: this.types.get(row.type)?.label ?? row.type,
      title: row.title,
      status: row.status,
      priority: row.priority,
      progress,
      progressMessage: live ? local.message : row.progress_message,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
      runAt: row.run_at,
      createdAt: row.created_at,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      updatedAt: row.updated_at,
      eta: this.eta(row, live ? local : undefined),
      handled: this.types.has(row.type),
    }
  }

  // ───────────────────────────── ETA ─────────────────────────────

  private history(type: string): { avg: number | null; samples: number } {
    let h = this.durations.get(type)
    if (!h) {
      const ds = (this.st.recentDurations.all(type) as { d: number }[]).map((r) => r.d).filter((d) => d >= 0)
      h = { avg: ds.length ? ds.reduce((a, b) => a + b, 0) / ds.length : null, samples: ds.length }
      this.durations.set(type, h)
    }
    return h
  }

  private avgMs(type: string): number | null {
    return this.history(type).avg
  }

  private recordDuration(t: TypeEntry, ms: number): void {
    const h = this.history(t.type)
    h.samples++
    // Plain mean for the first few, then a moving average that follows recent behaviour.
    h.avg = h.avg === null ? ms : h.avg + (ms - h.avg) / Math.min(h.samples, 10)
  }

  /**
   * Remaining time from the job's own progress rate this run, blended with the type's history: early on the
   * history dominates, and the job's own rate takes over as its progress grows (fully from 20 %).
   */
  private eta(row: RawRow, local?: RunningJob): JobEta | null {
    if (row.status !== 'pending' && row.status !== 'running') return null
    const now = this.now
    const hist = this.avgMs(row.type)
    if (row.status === 'pending') {
      if (hist === null) return null
      const at = Math.max(now, row.run_at) + hist
      return { remainingMs: at - now, at, basis: 'history' }
    }
    const startedAt = local?.startedAt ?? row.started_at ?? now
    const elapsed = Math.max(0, now - startedAt)
    const pct = local?.progress ?? row.progress
    let own: number | null = null
    if (local) {
      const dp = local.progress - local.firstPct
      const dt = now - local.firstAt
      if (dp > 0 && dt > 0) own = ((100 - local.progress) * dt) / dp
      else if (local.progress > 0 && elapsed > 0) own = ((100 - local.progress) * elapsed) / local.progress
    } else if (pct > 0 && elapsed > 0) {
      own = ((100 - pct) * elapsed) / pct
    }
    // A run already longer than the usual one says the history does not fit this job: use its own rate.
    const histRemaining = hist === null || elapsed >= hist ? null : hist - elapsed
    let remainingMs: number
    let basis: JobEta['basis']
    if (own !== null && histRemaining !== null) {
      // Early rates are noisy: the history dominates at first, the job's own rate from 20 % on.
      const w = Math.min(1, pct / 20)
      remainingMs = w * own + (1 - w) * histRemaining
      basis = 'blend'
    } else if (own !== null) {
      remainingMs = own
      basis = 'progress'
    } else if (histRemaining !== null) {
      remainingMs = histRemaining
      basis = 'history'
    } else return null
    remainingMs = Math.round(remainingMs)
    return { remainingMs, at: now + remainingMs, basis }
  }

  // ───────────────────────────── control ─────────────────────────────

  cancel(id: number): Job {
    const before = this.st.byId.get(id) as RawRow | undefined
    if (!before) throw new AppError('NOT_FOUND', `Job ${id} does not exist`)
    const res = this.st.cancel.run({ id, now: this.now })
    if (res.changes === 0) throw new AppError('CONFLICT', `Job ${id} has already ${before.status === 'cancelled' ? 'been cancelled' : before.status}`)
    const local = this.running.get(id)
    if (local) this.abort(local, 'cancel')
    this.markChanged(id)
    const row = this.st.byId.get(id) as RawRow
    this.emitSettled(row)
    return this.toJob(row)
  }

  retry(id: number): Job {
    const row = this.st.byId.get(id) as RawRow | undefined
    if (!row) throw new AppError('NOT_FOUND', `Job ${id} does not exist`)
    if (row.status !== 'failed' && row.status !== 'cancelled') throw new AppError('CONFLICT', `Only failed or cancelled jobs can be retried; job ${id} is ${row.status}`)
    const history = (parse(row.history) as JobAttempt[]).slice(-30)
    try {
      this.st.retry.run({ id, now: this.now, history: JSON.stringify(history) })
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT'))
        throw new AppError('CONFLICT', 'An identical job is already waiting or running')
      throw err
    }
    this.markChanged(id)
    this.schedule()
    return this.get(id)
  }

  /** Moves a pending job's start time (e.g. "run now" for a scheduled one). */
  reschedule(id: number, runAt: number): Job {
    const res = this.st.reschedule.run({ id, runAt, now: this.now })
    if (res.changes === 0) throw new AppError('CONFLICT', `Job ${id} is not waiting`)
    this.markChanged(id)
    this.schedule()
    return this.get(id)
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  /** Recovers work left by dead processes, cleans up old jobs and starts running. */
  start(): void {
    if (this.started) return
    this.started = true
    this.stopping = false
    this.recoverExpired()
    this.cleanup()
    this.heartbeat()
    this.armRetention()
    this.schedule()
  }

  get isStarted(): boolean {
    return this.started && !this.stopping
  }

  /**
   * Stops claiming, aborts running handlers and waits briefly for them; jobs still running after the grace
   * period are handed back to the queue (the next start runs them again, from their checkpoint).
   */
  async stop(): Promise<void> {
    if (!this.started || this.stopping) return
    this.stopping = true
    for (const t of [this.wakeTimer, this.heartbeatTimer, this.retentionTimer]) if (t) this.opts.clock.clearTimeout(t)
    this.wakeTimer = this.heartbeatTimer = this.retentionTimer = null
    const runs = [...this.running.values()]
    for (const r of runs) this.abort(r, 'shutdown')
    if (runs.length) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(runs.map((r) => r.settled)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.opts.shutdownGraceMs)
        }),
      ])
      clearTimeout(timer)
    }
    for (const r of this.running.values()) {
      this.writeProgress(r)
      this.st.release.run({ id: r.id, owner: this.opts.owner, now: this.now, entry: this.entry(r, 'interrupted') })
      this.deps.logger.warn('job did not stop in time; handed back to the queue', { id: r.id, type: r.entry.type })
    }
    this.flushEvents()
    if (this.flushTimer) this.opts.clock.clearTimeout(this.flushTimer)
    this.flushTimer = null
    this.started = false
  }

  // ───────────────────────────── scheduling ─────────────────────────────

  private schedule(): void {
    if (this.pumpScheduled || !this.started || this.stopping) return
    this.pumpScheduled = true
    setImmediate(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  private pump(): void {
    if (!this.started || this.stopping) return
    const now = this.now
    let idle = false
    for (const t of this.types.values()) {
      const free = t.concurrency - t.running
      if (free <= 0) continue
      const rows = this.st.claim.all({ owner: this.opts.owner, exp: now + this.opts.leaseMs, now, type: t.type, n: free }) as RawRow[]
      if (rows.length < free) idle = true
      rows.sort((a, b) => b.priority - a.priority || a.id - b.id)
      for (const row of rows) this.run(t, row)
    }
    if (idle) this.armWake(now)
  }

  /** Sleeps until the earliest future job (backoff, delay) of a registered type. */
  private armWake(now: number): void {
    const next = this.st.nextWake.get({ now, types: JSON.stringify([...this.types.keys()]) }) as { run_at: number } | undefined
    if (!next || next.run_at >= this.wakeAt) return
    if (this.wakeTimer) this.opts.clock.clearTimeout(this.wakeTimer)
    this.wakeAt = next.run_at
    this.wakeTimer = this.opts.clock.setTimeout(
      () => {
        this.wakeTimer = null
        this.wakeAt = Infinity
        this.schedule()
      },
      Math.max(0, next.run_at - now),
    )
  }

  private run(t: TypeEntry, row: RawRow): void {
    t.running++
    const now = this.now
    const controller = new AbortController()
    let settle!: () => void
    const r: RunningJob = {
      id: row.id,
      entry: t,
      attempt: row.attempts,
      startedAt: row.started_at ?? now,
      controller,
      abortKind: null,
      progress: row.progress,
      message: row.progress_message,
      firstPct: row.progress,
      firstAt: now,
      dirty: false,
      lastWrite: now,
      timeout: null,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    }
    this.running.set(row.id, r)
    this.markChanged(row.id)
    if (t.timeoutMs) r.timeout = this.opts.clock.setTimeout(() => this.abort(r, 'timeout'), t.timeoutMs)
    const logger = this.deps.logger.child(t.type)
    const ctx: JobContext = {
      jobId: row.id,
      attempt: row.attempts,
      signal: controller.signal,
      logger,
      checkpoint: parse(row.checkpoint),
      progress: (pct, message) => this.onProgress(r, pct, message),
      saveCheckpoint: (state) => this.saveCheckpoint(r, state),
    }
    let p: Promise<unknown>
    try {
      p = Promise.resolve(t.handler(parse(row.data), ctx))
    } catch (err) {
      p = Promise.reject(err)
    }
    p.then(
      (result) => this.finish(r, { ok: true, result }),
      (err: unknown) => this.finish(r, { ok: false, err }),
    ).finally(settle)
  }

  private abort(r: RunningJob, kind: AbortKind): void {
    if (r.controller.signal.aborted) return
    r.abortKind = kind
    const reason =
      kind === 'timeout'
        ? new DOMException(`The job took longer than ${r.entry.timeoutMs} ms`, 'TimeoutError')
        : new DOMException(kind === 'cancel' ? 'The job was cancelled' : kind === 'shutdown' ? 'The app is shutting down' : 'The job was taken over by another process', 'AbortError')
    r.controller.abort(reason)
  }

  private entry(r: RunningJob, outcome: JobAttempt['outcome'], extra: Partial<JobAttempt> = {}): string {
    const e: JobAttempt = {
      attempt: r.attempt,
      owner: this.opts.owner,
      startedAt: r.startedAt,
      finishedAt: this.now,
      outcome,
      errorCode: null,
      errorMessage: null,
      retryAt: null,
      ...extra,
    }
    return JSON.stringify(e)
  }

  private finish(r: RunningJob, out: { ok: true; result: unknown } | { ok: false; err: unknown }): void {
    this.running.delete(r.id)
    r.entry.running--
    if (r.timeout) this.opts.clock.clearTimeout(r.timeout)
    const now = this.now
    const base = { id: r.id, owner: this.opts.owner, now }
    const log = this.deps.logger
    try {
      if (out.ok && r.abortKind !== 'timeout') {
        let result: string | null
        try {
          result = json(out.result)
        } catch {
          result = null
        }
        const res = this.st.complete.run({ ...base, result, m: r.message, entry: this.entry(r, 'completed') })
        if (res.changes === 1) {
          this.recordDuration(r.entry, now - r.startedAt)
          this.settled(r, 'completed')
        }
        return
      }
      if (r.abortKind === 'cancel' || r.abortKind === 'lease-lost') return
      if (r.abortKind === 'shutdown') {
        this.writeProgress(r)
        this.st.release.run({ ...base, entry: this.entry(r, 'interrupted') })
        return
      }
      const err = out.ok ? new DOMException('timed out', 'TimeoutError') : out.err
      const c = r.abortKind === 'timeout' ? { ...classifyError(err), retryable: true, code: 'TIMEOUT' } : classifyError(err)
      const row = this.st.byId.get(r.id) as RawRow | undefined
      if (!row) return
      if (c.retryable && row.attempts < row.max_attempts) {
        const delay =
          c.retryAfterMs !== undefined
            ? Math.min(this.opts.maxRetryAfterMs, Math.max(0, c.retryAfterMs))
            : backoffDelay(row.attempts, this.opts.backoff, this.opts.random)
        const runAt = now + delay
        const res = this.st.retryLater.run({
          ...base,
          runAt,
          code: c.code,
          message: c.message,
          entry: this.entry(r, 'retry', { errorCode: c.code, errorMessage: c.message, retryAt: runAt }),
        })
        if (res.changes === 1) log.info('job will be retried', { id: r.id, type: r.entry.type, attempt: row.attempts, code: c.code, delayMs: delay })
      } else {
        const res = this.st.fail.run({ ...base, code: c.code, message: c.message, entry: this.entry(r, 'failed', { errorCode: c.code, errorMessage: c.message }) })
        if (res.changes === 1) {
          log.warn('job failed', { id: r.id, type: r.entry.type, attempt: row.attempts, code: c.code, retryable: c.retryable, error: c.message })
          this.settled(r, 'failed')
        }
      }
    } catch (err) {
      log.error('recording a job outcome failed', { id: r.id, error: (err as Error).message })
    } finally {
      this.markChanged(r.id)
      this.schedule()
    }
  }

  private settled(r: RunningJob, status: 'completed' | 'failed'): void {
    if (!this.settledListeners.size && !r.entry.userVisible) return
    const row = this.st.byId.get(r.id) as RawRow
    this.emitSettled(row)
    if (r.entry.userVisible) this.notify(r.entry, row, status)
  }

  private emitSettled(row: RawRow): void {
    if (!this.settledListeners.size) return
    const s = this.settledOf(row)
    for (const l of [...this.settledListeners]) {
      try {
        l(s)
      } catch (err) {
        this.deps.logger.error('job listener failed', { error: (err as Error).message })
      }
    }
  }

  private notify(t: TypeEntry, row: RawRow, status: 'completed' | 'failed'): void {
    const n = this.deps.notifications
    if (!n) return
    const name = row.title ?? t.label
    const input: NotifyInput =
      status === 'completed'
        ? { type: 'job_complete', title: `${name} finished`, message: row.progress_message ?? `${t.label} completed.`, data: { jobId: row.id, jobType: row.type } }
        : {
            type: 'job_failed',
            title: `${name} failed`,
            message: row.error_message ?? 'The job failed.',
            priority: 'high',
            data: { jobId: row.id, jobType: row.type, code: row.error_code },
          }
    n.notify(input).catch((err: unknown) => this.deps.logger.warn('job notification failed', { error: (err as Error).message }))
  }

  // ───────────────────────────── progress ─────────────────────────────

  private onProgress(r: RunningJob, pct: number, message?: string): void {
    if (!this.running.has(r.id) || r.abortKind) return
    const p = clampPct(pct)
    r.progress = p
    if (message !== undefined) r.message = message.slice(0, 500)
    r.dirty = true
    if (this.now - r.lastWrite >= this.opts.progressWriteMs) this.writeProgress(r)
    this.markChanged(r.id)
  }

  private writeProgress(r: RunningJob): void {
    if (!r.dirty) return
    r.dirty = false
    r.lastWrite = this.now
    const res = this.st.progress.run({ id: r.id, owner: this.opts.owner, now: r.lastWrite, p: r.progress, m: r.message })
    if (res.changes === 0 && this.running.has(r.id)) this.abort(r, 'lease-lost')
  }

  private saveCheckpoint(r: RunningJob, state: unknown): boolean {
    if (!this.running.has(r.id) || r.controller.signal.aborted) return false
    const now = this.now
    const res = this.st.checkpoint.run({ id: r.id, owner: this.opts.owner, now, c: jsonData(state), p: r.progress, m: r.message })
    r.dirty = false
    r.lastWrite = now
    if (res.changes === 0) {
      this.abort(r, 'lease-lost')
      return false
    }
    return true
  }

  // ───────────────────────────── leases ─────────────────────────────

  private heartbeat(): void {
    if (!this.started || this.stopping) return
    try {
      const now = this.now
      for (const r of this.running.values()) this.writeProgress(r)
      const mine = new Set((this.st.renew.all({ owner: this.opts.owner, now, exp: now + this.opts.leaseMs }) as { id: number }[]).map((x) => x.id))
      // A job we run that is no longer ours (cancelled elsewhere, or taken over after a stall): stop it.
      for (const r of this.running.values()) if (!mine.has(r.id)) this.abort(r, 'lease-lost')
      if (this.recoverExpired() > 0) this.schedule()
    } catch (err) {
      this.deps.logger.error('job heartbeat failed', { error: (err as Error).message })
    }
    this.heartbeatTimer = this.opts.clock.setTimeout(() => this.heartbeat(), this.opts.heartbeatMs)
  }

  /**
   * Jobs left running by another owner whose lease expired — or whose process on this machine is gone —
   * go back to the queue (their attempt is given back). A job interrupted too often fails instead.
   */
  recoverExpired(): number {
    const now = this.now
    const rows = this.st.othersRunning.all(this.opts.owner) as Pick<RawRow, 'id' | 'lease_owner' | 'lease_expires_at' | 'interruptions'>[]
    const dead = rows.filter((r) => (r.lease_expires_at ?? 0) < now || ownerIsDead(r.lease_owner))
    if (!dead.length) return 0
    this.deps.sqlite.transaction(() => {
      for (const r of dead) {
        const args = { id: r.id, was: r.lease_owner, now }
        if (r.interruptions + 1 > this.opts.maxInterruptions) this.st.failInterrupted.run(args)
        else this.st.requeueInterrupted.run(args)
      }
    })()
    for (const r of dead) {
      this.markChanged(r.id)
      const row = this.st.byId.get(r.id) as RawRow | undefined
      if (row?.status === 'failed') this.emitSettled(row)
    }
    this.deps.logger.warn('recovered jobs from a stopped process', { ids: dead.map((r) => r.id), owners: [...new Set(dead.map((r) => r.lease_owner))] })
    return dead.length
  }

  // ───────────────────────────── retention ─────────────────────────────

  /** Deletes completed and cancelled jobs older than 7 days and failed ones older than 30 (by default). */
  cleanup(): { deleted: number } {
    const now = this.now
    const { completedMs, failedMs } = this.opts.retention
    let deleted = 0
    for (const [status, age] of [
      ['completed', completedMs],
      ['cancelled', completedMs],
      ['failed', failedMs],
    ] as const) {
      for (;;) {
        const n = this.st.deleteOld.run({ status, before: now - age }).changes
        deleted += n
        if (n < 1000) break
      }
    }
    if (deleted) this.deps.logger.info('cleaned up old jobs', { deleted })
    return { deleted }
  }

  private armRetention(): void {
    this.retentionTimer = this.opts.clock.setTimeout(() => {
      try {
        this.cleanup()
      } catch (err) {
        this.deps.logger.error('job cleanup failed', { error: (err as Error).message })
      }
      if (this.started && !this.stopping) this.armRetention()
    }, this.opts.retention.intervalMs)
  }

  // ───────────────────────────── events ─────────────────────────────

  private markChanged(id: number): void {
    if (!this.deps.events) return
    if (this.changed.size < 100) this.changed.add(id)
    else if (!this.changed.has(id)) this.overflow = true
    if (this.flushTimer) return
    const wait = Math.max(0, this.lastFlush + this.opts.eventThrottleMs - this.now)
    this.flushTimer = this.opts.clock.setTimeout(() => {
      this.flushTimer = null
      this.flushEvents()
    }, wait)
  }

  /** Emits one coalesced `jobs.changed` with the latest state of every job that changed since the last one. */
  flushEvents(): void {
    const events = this.deps.events
    if (!events || (!this.changed.size && !this.overflow)) return
    this.lastFlush = this.now
    const ids = [...this.changed].sort((a, b) => b - a)
    const overflow = this.overflow
    this.changed.clear()
    this.overflow = false
    try {
      const rows = this.deps.sqlite
        .prepare(`SELECT * FROM background_jobs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`)
        .all(JSON.stringify(ids)) as RawRow[]
      events.emit('jobs.changed', { jobs: rows.map((r) => this.toJob(r)), overflow, active: this.active() })
    } catch (err) {
      this.deps.logger.error('job event failed', { error: (err as Error).message })
    }
  }

  /** For the health check. */
  health(): { started: boolean; running: number; pending: number; stalled: number; failedLastDay: number } {
    const now = this.now
    const a = this.active()
    const types = JSON.stringify([...this.types.values()].filter((t) => t.running < t.concurrency).map((t) => t.type))
    const stalled = (
      this.deps.sqlite
        .prepare(`SELECT count(*) AS n FROM background_jobs WHERE status = 'pending' AND run_at < ? AND type IN (SELECT value FROM json_each(?))`)
        .get(now - 15 * 60_000, types) as { n: number }
    ).n
    const failedLastDay = (
      this.deps.sqlite.prepare(`SELECT count(*) AS n FROM background_jobs WHERE status = 'failed' AND completed_at > ?`).get(now - DAY) as { n: number }
    ).n
    return { started: this.isStarted, ...a, stalled, failedLastDay }
  }
}

/** host:pid:nonce on this machine, and that pid no longer exists. */
function ownerIsDead(owner: string | null): boolean {
  if (!owner) return true
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(owner)
  if (!m || m[1] !== hostname()) return false
  const pid = Number(m[2])
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH'
  }
}
