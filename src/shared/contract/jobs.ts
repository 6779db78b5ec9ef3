import { z } from 'zod'
import { channel } from './define'

export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const
export const JobStatusSchema = z.enum(JOB_STATUSES)
export type JobStatus = z.infer<typeof JobStatusSchema>
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['pending', 'running']
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled']

/** One run of a job, as kept in its history (shown in the details drawer). */
export const JobAttemptSchema = z.object({
  attempt: z.number().int(),
  /** Which process ran it (host:pid:nonce). */
  owner: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  outcome: z.enum(['running', 'completed', 'retry', 'failed', 'cancelled', 'interrupted']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** For outcome 'retry': when the next run may start. */
  retryAt: z.number().nullable(),
})
export type JobAttempt = z.infer<typeof JobAttemptSchema>

export const JobEtaSchema = z.object({
  /** Estimated time until the job finishes, ms. */
  remainingMs: z.number(),
  /** Estimated completion time (epoch ms). */
  at: z.number(),
  /** progress: the job's own rate; history: durations of earlier jobs of this type; blend: both. */
  basis: z.enum(['progress', 'history', 'blend']),
})
export type JobEta = z.infer<typeof JobEtaSchema>

export const JobSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  /** The type's label, or the type id when no handler is registered in this process. */
  label: z.string(),
  title: z.string().nullable(),
  status: JobStatusSchema,
  priority: z.number().int(),
  progress: z.number(),
  progressMessage: z.string().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  runAt: z.number(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  completedAt: z.number().nullable(),
  updatedAt: z.number(),
  eta: JobEtaSchema.nullable(),
  /** False when no handler for the type is registered (the job waits until one is). */
  handled: z.boolean(),
})
export type Job = z.infer<typeof JobSchema>

export interface JobDetail extends Job {
  data: unknown
  result: unknown
  history: JobAttempt[]
}

export interface JobPage {
  items: Job[]
  /** Pass as `before` for the next page; null when there is none. */
  nextCursor: number | null
}

export type JobCounts = Record<JobStatus, number>

export interface JobTypeStats extends JobCounts {
  type: string
  label: string
  /** Mean run time of recent completed jobs, ms. */
  avgDurationMs: number | null
}

export interface JobStats {
  counts: JobCounts
  byType: JobTypeStats[]
  /** Creation time of the oldest job still waiting to run. */
  oldestPendingAt: number | null
}

export interface JobTypeInfo {
  type: string
  label: string
  concurrency: number
  userVisible: boolean
  /** Whether the renderer may add jobs of this type through jobs.add. */
  allowFromUi: boolean
}

export interface MaintenanceStatus {
  /** Cron expression of the weekly run. */
  schedule: string
  nextRunAt: number | null
  lastRun: Job | null
  /** A maintenance job that is pending or running, if any. */
  active: Job | null
}

const JobType = z.string().trim().min(1).max(100).regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'job types look like "library.import"')
const JobId = z.number().int().positive()
const JsonData = z
  .json()
  .optional()
  .refine((v) => v === undefined || JSON.stringify(v).length <= 256 * 1024, 'job data must be at most 256 KiB of JSON')
const AddOptions = {
  priority: z.number().int().min(-1000).max(1000).optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  dedupeKey: z.string().min(1).max(200).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  delayMs: z.number().int().min(0).max(30 * 24 * 3600 * 1000).optional(),
}

export const jobsChannels = {
  'jobs.add': channel<Job>()(z.strictObject({ type: JobType, data: JsonData, ...AddOptions })),
  'jobs.addBatch': channel<{ ids: number[] }>()(
    z.strictObject({
      type: JobType,
      items: z
        .array(z.strictObject({ data: JsonData, priority: AddOptions.priority, dedupeKey: AddOptions.dedupeKey, title: AddOptions.title }))
        .min(1)
        .max(10_000),
      maxAttempts: AddOptions.maxAttempts,
    }),
  ),
  'jobs.get': channel<JobDetail>()(z.strictObject({ id: JobId })),
  'jobs.list': channel<JobPage>()(
    z
      .strictObject({
        status: z.array(JobStatusSchema).min(1).max(5).optional(),
        type: JobType.optional(),
        limit: z.number().int().min(1).max(200).optional(),
        before: JobId.optional(),
      })
      .optional(),
  ),
  'jobs.cancel': channel<Job>()(z.strictObject({ id: JobId })),
  'jobs.retry': channel<Job>()(z.strictObject({ id: JobId })),
  'jobs.stats': channel<JobStats>()(z.undefined()),
  'jobs.types': channel<JobTypeInfo[]>()(z.undefined()),
  'maintenance.run': channel<Job>()(z.strictObject({ gentle: z.boolean().optional() }).optional()),
  'maintenance.status': channel<MaintenanceStatus>()(z.undefined()),
}

export const jobsEvents = {
  /**
   * Coalesced state and progress changes, at most one batch per throttle window (250 ms by default).
   * `overflow` means more jobs changed than fit: reload the list.
   */
  'jobs.changed': z.object({
    jobs: z.array(JobSchema).max(100),
    overflow: z.boolean(),
    active: z.object({ running: z.number().int(), pending: z.number().int() }),
  }),
}
