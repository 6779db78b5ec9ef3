import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * A worker thread with its own SQLite connection to the library file, so heavy statements (integrity
 * checks, FTS merges, vacuum) never run on the main thread. It is a plain statement executor: the
 * maintenance job decides what to run, one bounded statement at a time.
 *
 * The worker's source is inlined (eval) so it works the same from TS sources (tests, tsx) and from the
 * bundle; better-sqlite3 is loaded by the absolute path resolved here.
 *
 * Its work is never urgent, so on Linux the thread runs at the lowest CPU priority: an integrity check
 * of a large library at start-up then does not slow the first paint. Linux keeps a nice value per
 * thread (setpriority on "this process" changes only the calling thread); elsewhere it would lower the
 * whole app, so it is left alone there.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const os = require('node:os')
const Database = require(workerData.driver)
let db
try {
  if (process.platform === 'linux') { try { os.setPriority(os.constants.priority.PRIORITY_LOW) } catch {} }
  db = new Database(workerData.file, { fileMustExist: true })
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs)
  parentPort.postMessage({ ready: true, nice: os.getPriority() })
} catch (err) {
  parentPort.postMessage({ ready: false, error: { code: err.code || err.name, message: err.message } })
}
parentPort.on('message', (m) => {
  if (m.close) { try { db && db.close() } catch {} ; parentPort.postMessage({ closed: true }); return }
  const t0 = performance.now()
  try {
    const before = db.prepare('SELECT total_changes() AS n').get().n
    let rows = []
    for (const sql of m.sql) {
      const stmt = db.prepare(sql)
      if (stmt.reader) rows = stmt.all()
      else stmt.run()
    }
    const changes = db.prepare('SELECT total_changes() AS n').get().n - before
    parentPort.postMessage({ id: m.id, ok: true, rows, changes, ms: performance.now() - t0 })
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, error: { code: err.code || err.name, message: err.message } })
  }
})
`

export interface SqlResult {
  rows: Record<string, unknown>[]
  /** total_changes() difference over the statements (FTS5 merge uses it to report remaining work). */
  changes: number
  ms: number
}

export class SqlWorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'SqlWorkerError'
  }
}

type Pending = { resolve: (r: SqlResult) => void; reject: (e: Error) => void }

export class SqlWorker {
  private worker: Worker
  private nextId = 1
  private pending = new Map<number, Pending>()
  private ready: Promise<void>
  private exited = false
  /** The worker thread's nice value once started (19 on Linux). */
  nice: number | undefined

  constructor(file: string, opts: { busyTimeoutMs?: number } = {}) {
    const driver = createRequire(__filename).resolve('better-sqlite3')
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, busyTimeoutMs: opts.busyTimeoutMs ?? 5000 } })
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: { ready: boolean; nice?: number; error?: { code: string; message: string } }) => {
        this.nice = m.nice
        if (m.ready) resolve()
        else reject(new SqlWorkerError(m.error!.code, m.error!.message))
      })
      this.worker.once('error', reject)
    })
    this.ready.catch(() => {})
    this.worker.on('message', (m: { id?: number; ok?: boolean; rows?: Record<string, unknown>[]; changes?: number; ms?: number; error?: { code: string; message: string } }) => {
      if (m.id === undefined) return
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.ok) p.resolve({ rows: m.rows!, changes: m.changes!, ms: m.ms! })
      else p.reject(new SqlWorkerError(m.error!.code, m.error!.message))
    })
    this.worker.on('error', (err) => this.failAll(err))
    this.worker.on('exit', () => {
      this.exited = true
      this.failAll(new SqlWorkerError('WORKER_EXITED', 'The maintenance worker stopped'))
    })
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }

  /** Runs the statements in order on the worker's connection; returns the last reader's rows. */
  async exec(...sql: string[]): Promise<SqlResult> {
    await this.ready
    if (this.exited) throw new SqlWorkerError('WORKER_EXITED', 'The maintenance worker stopped')
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ id, sql })
    })
  }

  /** Closes the connection; terminate() if it does not answer (e.g. stuck in a long statement). */
  async close(): Promise<void> {
    if (this.exited) return
    const closed = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.postMessage({ close: true })
    const timer = setTimeout(() => void this.worker.terminate(), 2000)
    this.worker.once('message', () => void this.worker.terminate())
    await closed
    clearTimeout(timer)
  }

  /** Stops at once (cancellation). */
  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate()
  }
}
