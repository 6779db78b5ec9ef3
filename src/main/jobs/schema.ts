import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { JOB_STATUSES, type JobAttempt } from '../../shared/contract/jobs'

/**
 * The persistent job queue. One row per job; the queue's own queries each have an index:
 * claim (status, type, priority desc, id), wake-up (status, run_at), retention (status, completed_at),
 * dedupe (unique while pending/running) and per-type history (type, id).
 */
export const backgroundJobs = sqliteTable(
  'background_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    /** Optional human-readable title, e.g. "Import refs.bib". */
    title: text('title'),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
    priority: integer('priority').notNull().default(0),
    data: text('data', { mode: 'json' }).$type<unknown>(),
    progress: real('progress').notNull().default(0),
    progressMessage: text('progress_message'),
    result: text('result', { mode: 'json' }).$type<unknown>(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Runs started (an interrupted run — crash or shutdown — is given back). */
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    /** Times a run was interrupted by a crash or shutdown; a crash loop fails the job. */
    interruptions: integer('interruptions').notNull().default(0),
    /** Not claimed before this time (backoff, Retry-After, delayed jobs). */
    runAt: integer('run_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at'),
    heartbeatAt: integer('heartbeat_at'),
    dedupeKey: text('dedupe_key'),
    /** Handler-defined resume state saved with ctx.checkpoint(). */
    checkpoint: text('checkpoint', { mode: 'json' }).$type<unknown>(),
    /** One entry per run: when, outcome, error. Bounded by max attempts + interruptions. */
    history: text('history', { mode: 'json' }).$type<JobAttempt[]>().notNull().default(sql`'[]'`),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    completedAt: integer('completed_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('background_jobs_claim_idx').on(t.status, t.type, sql`${t.priority} DESC`, t.id),
    index('background_jobs_run_at_idx').on(t.status, t.runAt),
    index('background_jobs_completed_idx').on(t.status, t.completedAt),
    index('background_jobs_type_idx').on(t.type, t.id),
    uniqueIndex('background_jobs_dedupe_idx')
      .on(t.dedupeKey)
      .where(sql`${t.dedupeKey} IS NOT NULL AND ${t.status} IN ('pending', 'running')`),
  ],
)

export type JobRow = typeof backgroundJobs.$inferSelect
