import cron, { type ScheduledTask } from 'node-cron'
import type { Job, MaintenanceStatus } from '../../shared/contract/jobs'
import type { JobQueue } from '../jobs/queue'
import type { Logger } from '../logger'
import type { SettingsService } from '../settings/service'
import { MAINTENANCE_JOB, MaintenanceDataSchema, maintenanceHandler, type MaintenanceData, type MaintenanceOptions } from './job'

export interface MaintenanceServiceOptions extends Partial<MaintenanceOptions> {
  /** Weekly by default: Sunday 03:30 local time. */
  schedule?: string
  /** Turn the cron schedule off (tests). */
  scheduled?: boolean
  /** When a weekly run was missed (app closed), start one this long after boot. */
  catchUpDelayMs?: number
}

const WEEK = 7 * 24 * 3600 * 1000
const FIRST_SEEN_KEY = 'maintenance.firstSeenAt'
const DEDUPE = MAINTENANCE_JOB

/** Library maintenance: registers the job type, runs it weekly (and after a missed week), and on demand. */
export class MaintenanceService {
  private task: ScheduledTask | null = null
  readonly schedule: string

  constructor(
    private readonly deps: { jobs: JobQueue; dbFile: string; settings: SettingsService; logger: Logger; now: () => number },
    private readonly opts: MaintenanceServiceOptions = {},
  ) {
    this.schedule = opts.schedule ?? '30 3 * * 0'
    deps.jobs.register<MaintenanceData>(MAINTENANCE_JOB, maintenanceHandler(deps.dbFile, opts), {
      label: 'Library maintenance',
      concurrency: 1,
      maxAttempts: 2,
      userVisible: true,
      allowFromUi: true,
      dataSchema: MaintenanceDataSchema,
    })
  }

  /** Starts the weekly schedule and queues a catch-up run when the last one is more than a week old. */
  start(): void {
    const now = this.deps.now()
    if (this.deps.settings.get<number>(FIRST_SEEN_KEY) === undefined) this.deps.settings.set(FIRST_SEEN_KEY, now)
    if (this.opts.scheduled === false) return
    this.task = cron.schedule(this.schedule, () => void this.enqueue({ gentle: true, reason: 'scheduled' }), {
      name: 'library-maintenance',
      noOverlap: true,
      suppressMissedWarning: true,
      unref: true,
    })
    const last = this.lastRun()?.completedAt ?? this.deps.settings.get<number>(FIRST_SEEN_KEY) ?? now
    if (now - last > WEEK) this.enqueue({ gentle: true, reason: 'catch-up' }, this.opts.catchUpDelayMs ?? 10 * 60_000)
  }

  stop(): void {
    void this.task?.destroy()
    this.task = null
  }

  private enqueue(data: MaintenanceData, delayMs = 0): Job | null {
    try {
      return this.deps.jobs.add(MAINTENANCE_JOB, data, { dedupeKey: DEDUPE, delayMs })
    } catch (err) {
      this.deps.logger.error('could not queue library maintenance', { error: (err as Error).message })
      return null
    }
  }

  /** "Run now": reuses a waiting run (starting it now) or a running one, else queues a new one. */
  runNow(opts: { gentle?: boolean } = {}): Job {
    const active = this.deps.jobs.findActive(DEDUPE)
    if (active?.status === 'pending') return active.runAt > this.deps.now() ? this.deps.jobs.reschedule(active.id, this.deps.now()) : active
    if (active) return active
    return this.deps.jobs.add(MAINTENANCE_JOB, { gentle: opts.gentle ?? false, reason: 'manual' }, { dedupeKey: DEDUPE })
  }

  lastRun(): Job | null {
    return this.deps.jobs.list({ type: MAINTENANCE_JOB, status: ['completed', 'failed'], limit: 1 }).items[0] ?? null
  }

  status(): MaintenanceStatus {
    return {
      schedule: this.schedule,
      nextRunAt: this.task?.getNextRun()?.getTime() ?? null,
      lastRun: this.lastRun(),
      active: this.deps.jobs.findActive(DEDUPE),
    }
  }
}
