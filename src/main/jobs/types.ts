import type { Logger } from '../logger'

/** What a job handler receives besides its data. */
export interface JobContext {
  jobId: number
  /** 1 on the first run. */
  attempt: number
  /** Aborted when the job is cancelled or the app shuts down; handlers must stop promptly. */
  signal: AbortSignal
  /** pct 0–100; calls are cheap (the queue throttles writes and events). */
  progress(pct: number, message?: string): void
  logger: Logger
}

export type JobHandler<D = unknown, R = unknown> = (data: D, ctx: JobContext) => Promise<R>

export interface JobTypeOptions {
  /** How many jobs of this type may run at once. Default 1. */
  concurrency?: number
  /** Default attempts for jobs of this type (overridable per job). Default 3. */
  maxAttempts?: number
  /** Completion and final failure raise notifications when true. */
  userVisible?: boolean
  /** Human-readable name for the UI and notifications, e.g. "Import BibTeX". */
  label?: string
}

export interface AddJobOptions {
  /** Higher runs first. Default 0. */
  priority?: number
  maxAttempts?: number
  /** A pending/running job with the same key is returned instead of adding a duplicate. */
  dedupeKey?: string
}
