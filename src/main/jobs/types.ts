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
  /** What the last run saved with saveCheckpoint (null on a fresh start; always set by the queue): resume from here after a crash or retry. */
  checkpoint?: unknown
  /**
   * Always set by the queue (optional only so hand-made contexts in tests stay valid). Durably stores resume state (JSON) for this job. Returns false when this run no longer owns the job
   * (cancelled, or its lease was taken over): stop without further side effects.
   */
  saveCheckpoint?(state: unknown): boolean
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
  /** Abort a run that takes longer than this (counts as a retryable timeout). Default: none. */
  timeoutMs?: number
  /** Whether the renderer may add jobs of this type through `jobs.add`. Default false. */
  allowFromUi?: boolean
  /** Validates data of jobs added from the renderer (e.g. a zod schema); what it returns is stored. */
  dataSchema?: { parse(data: unknown): unknown }
}

export interface AddJobOptions {
  /** Higher runs first. Default 0. */
  priority?: number
  maxAttempts?: number
  /** A pending/running job with the same key is returned instead of adding a duplicate. */
  dedupeKey?: string
  /** Human-readable title shown in the Jobs page, e.g. "Import refs.bib". */
  title?: string
  /** Do not start before this many ms from now. */
  delayMs?: number
}

/** One job of a batch for `jobs.addBatch`. */
export interface BatchJob<D = unknown> extends Omit<AddJobOptions, 'maxAttempts' | 'delayMs'> {
  data: D
}
