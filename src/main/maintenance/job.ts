import { z } from 'zod'
import { FatalJobError } from '../jobs/errors'
import type { JobContext, JobHandler } from '../jobs/types'
import { SqlWorker } from '../db/sql-worker'

export const MAINTENANCE_JOB = 'library.maintenance'

export const MaintenanceDataSchema = z.strictObject({
  /** Low-impact mode (scheduled runs): pause between steps so the app keeps the disk to itself. */
  gentle: z.boolean().optional(),
  reason: z.enum(['manual', 'scheduled', 'catch-up']).optional(),
})
export type MaintenanceData = z.infer<typeof MaintenanceDataSchema>

export interface MaintenanceOptions {
  /** Pause between steps in gentle mode. */
  gentlePauseMs: number
  /** Pages freed per incremental-vacuum step. */
  vacuumPagesPerStep: number
  /** FTS5 merge budget per step (pages), and the cap of merge steps per table. */
  ftsMergePages: number
  maxMergeSteps: number
  /** Databases up to this size are switched to incremental auto-vacuum (needs one full VACUUM). */
  convertMaxBytes: number
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = {
  gentlePauseMs: 250,
  vacuumPagesPerStep: 128,
  ftsMergePages: 64,
  maxMergeSteps: 200,
  convertMaxBytes: 64 * 1024 * 1024,
}

type Step =
  | { kind: 'integrity'; table: string }
  | { kind: 'foreign-keys'; table: string }
  | { kind: 'fts-check'; table: string }
  | { kind: 'fts-merge'; table: string }
  | { kind: 'optimize' }
  | { kind: 'convert-vacuum' }
  | { kind: 'incremental-vacuum' }
  | { kind: 'checkpoint' }

export interface MaintenanceResult {
  tablesChecked: number
  integrity: 'ok'
  foreignKeyProblems: number
  ftsTables: string[]
  ftsMergeSteps: number
  freedPages: number
  convertedToIncrementalVacuum: boolean
  skipped: string[]
  sizeBeforeBytes: number
  sizeAfterBytes: number
  steps: number
}

interface Checkpoint {
  plan: Step[]
  next: number
  /** Repeats of the current (repeatable) step so far. */
  rounds: number
  problems: string[]
  result: Omit<MaintenanceResult, 'integrity' | 'steps'>
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })

async function sizeOf(w: SqlWorker): Promise<{ bytes: number; free: number; autoVacuum: number }> {
  const pc = Number((await w.exec('PRAGMA page_count')).rows[0].page_count)
  const ps = Number((await w.exec('PRAGMA page_size')).rows[0].page_size)
  const free = Number((await w.exec('PRAGMA freelist_count')).rows[0].freelist_count)
  const av = Number((await w.exec('PRAGMA auto_vacuum')).rows[0].auto_vacuum)
  return { bytes: pc * ps, free, autoVacuum: av }
}

/** Every table gets an integrity and a foreign-key check; FTS5 tables a check and bounded merges; then optimise and vacuum. */
async function plan(w: SqlWorker): Promise<{ steps: Step[]; fts: string[] }> {
  const rows = (await w.exec(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)).rows as {
    name: string
    sql: string | null
  }[]
  const fts = rows.filter((r) => /CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? '') && /USING\s+fts5/i.test(r.sql ?? '')).map((r) => r.name)
  const virtual = new Set(rows.filter((r) => /CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? '')).map((r) => r.name))
  const plain = rows.filter((r) => !virtual.has(r.name)).map((r) => r.name)
  const steps: Step[] = [
    ...plain.map((table): Step => ({ kind: 'integrity', table })),
    ...plain.map((table): Step => ({ kind: 'foreign-keys', table })),
    ...fts.map((table): Step => ({ kind: 'fts-check', table })),
    ...fts.map((table): Step => ({ kind: 'fts-merge', table })),
    { kind: 'optimize' },
    { kind: 'convert-vacuum' },
    { kind: 'incremental-vacuum' },
    { kind: 'checkpoint' },
  ]
  return { steps, fts }
}

const STEP_LABEL: Record<Step['kind'], (s: Step) => string> = {
  integrity: (s) => `Checking ${(s as { table: string }).table}`,
  'foreign-keys': (s) => `Checking references in ${(s as { table: string }).table}`,
  'fts-check': (s) => `Checking search index ${(s as { table: string }).table}`,
  'fts-merge': (s) => `Compacting search index ${(s as { table: string }).table}`,
  optimize: () => 'Updating query statistics',
  'convert-vacuum': () => 'Enabling space reclamation',
  'incremental-vacuum': () => 'Reclaiming free space',
  checkpoint: () => 'Writing changes to the main file',
}

/**
 * Runs one step (one bounded statement or a few) on the worker. Returns true when the step is finished,
 * false when it should run again (merges and incremental vacuum repeat until there is no more work).
 */
async function runStep(w: SqlWorker, s: Step, cp: Checkpoint, o: MaintenanceOptions): Promise<boolean> {
  const r = cp.result
  switch (s.kind) {
    case 'integrity': {
      const rows = (await w.exec(`PRAGMA integrity_check(${q(s.table)})`)).rows
      const msgs = rows.map((x) => String(Object.values(x)[0])).filter((m) => m !== 'ok')
      cp.problems.push(...msgs.slice(0, 20).map((m) => `${s.table}: ${m}`))
      r.tablesChecked++
      return true
    }
    case 'foreign-keys': {
      const rows = (await w.exec(`PRAGMA foreign_key_check(${q(s.table)})`)).rows
      if (rows.length) {
        r.foreignKeyProblems += rows.length
        cp.problems.push(`${s.table}: ${rows.length} row(s) refer to missing rows`)
      }
      return true
    }
    case 'fts-check': {
      try {
        await w.exec(`INSERT INTO ${q(s.table)}(${q(s.table)}) VALUES('integrity-check')`)
      } catch (err) {
        cp.problems.push(`search index ${s.table}: ${(err as Error).message}`)
      }
      return true
    }
    case 'fts-merge': {
      // FTS5 'merge' does a bounded amount of work; a change count below 2 means nothing is left to merge.
      const res = await w.exec(`INSERT INTO ${q(s.table)}(${q(s.table)}, rank) VALUES('merge', ${o.ftsMergePages})`)
      r.ftsMergeSteps++
      return res.changes < 2 || cp.rounds + 1 >= o.maxMergeSteps
    }
    case 'optimize':
      await w.exec('PRAGMA analysis_limit = 400', 'PRAGMA optimize')
      return true
    case 'convert-vacuum': {
      const sz = await sizeOf(w)
      if (sz.autoVacuum === 2) return true
      if (sz.bytes > o.convertMaxBytes) {
        r.skipped.push(`space reclamation not enabled: the database is larger than ${Math.round(o.convertMaxBytes / 1048576)} MiB`)
        return true
      }
      // One full VACUUM switches auto_vacuum to INCREMENTAL; later runs free space in small steps.
      await w.exec('PRAGMA auto_vacuum = INCREMENTAL', 'VACUUM')
      r.convertedToIncrementalVacuum = true
      return true
    }
    case 'incremental-vacuum': {
      const before = await sizeOf(w)
      if (before.autoVacuum !== 2 || before.free === 0) return true
      await w.exec(`PRAGMA incremental_vacuum(${o.vacuumPagesPerStep})`)
      const after = await sizeOf(w)
      r.freedPages += Math.max(0, before.free - after.free)
      return after.free === 0 || after.free >= before.free || cp.rounds + 1 >= 10_000
    }
    case 'checkpoint':
      await w.exec('PRAGMA wal_checkpoint(PASSIVE)')
      return true
  }
}

/**
 * The "library maintenance" job: integrity and foreign-key checks per table, FTS5 index checks and bounded
 * merges, PRAGMA optimize, and incremental vacuum — each a small step on a worker thread, checkpointed
 * so a crash or shutdown resumes where it stopped. Problems found fail the job (not retried) with details.
 */
export function maintenanceHandler(dbFile: string, opts: Partial<MaintenanceOptions> = {}): JobHandler<MaintenanceData, MaintenanceResult> {
  const o = { ...DEFAULT_MAINTENANCE_OPTIONS, ...opts }
  return async (data, ctx: JobContext) => {
    const w = new SqlWorker(dbFile)
    const onAbort = () => void w.terminate()
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    try {
      let cp = (ctx.checkpoint as Checkpoint | null | undefined) ?? null
      if (!cp) {
        const p = await plan(w)
        const size = await sizeOf(w)
        cp = {
          plan: p.steps,
          next: 0,
          rounds: 0,
          problems: [],
          result: {
            tablesChecked: 0,
            foreignKeyProblems: 0,
            ftsTables: p.fts,
            ftsMergeSteps: 0,
            freedPages: 0,
            convertedToIncrementalVacuum: false,
            skipped: [],
            sizeBeforeBytes: size.bytes,
            sizeAfterBytes: size.bytes,
          },
        }
      } else {
        ctx.logger.info('resuming maintenance', { step: cp.next, of: cp.plan.length })
      }
      const total = cp.plan.length
      while (cp.next < total) {
        ctx.signal.throwIfAborted()
        const step = cp.plan[cp.next]
        ctx.progress((cp.next / total) * 100, `${STEP_LABEL[step.kind](step)} (${cp.next + 1} of ${total})`)
        const done = await runStep(w, step, cp, o)
        if (done) {
          cp.next++
          cp.rounds = 0
        } else cp.rounds++
        if (ctx.saveCheckpoint && !ctx.saveCheckpoint(cp)) ctx.signal.throwIfAborted()
        if (data.gentle && cp.next < total) await sleep(o.gentlePauseMs, ctx.signal)
        else await new Promise((resolve) => setImmediate(resolve))
      }
      if (cp.problems.length) {
        throw new FatalJobError(
          'INTEGRITY',
          `Library maintenance found ${cp.problems.length} problem(s): ${cp.problems.slice(0, 5).join('; ')}${cp.problems.length > 5 ? '; …' : ''}. Restore a backup or export your library.`,
        )
      }
      const after = await sizeOf(w)
      const result: MaintenanceResult = { ...cp.result, integrity: 'ok', sizeAfterBytes: after.bytes, steps: total }
      const freed = cp.result.sizeBeforeBytes - after.bytes
      ctx.progress(100, `Library checked: no problems found${freed > 0 ? `, ${(freed / 1048576).toFixed(1)} MiB reclaimed` : ''}.`)
      return result
    } finally {
      ctx.signal.removeEventListener('abort', onAbort)
      await w.close()
    }
  }
}
