/**
 * Node-side client of the detector worker. The main process injects how to spawn it
 * (Electron `utilityProcess.fork` or `child_process.fork`). Requests carry ids and deadlines;
 * a request past its deadline fails with TIMEOUT (never "clean"), the stuck worker is killed and a
 * new one is started on the next request; requests pending on a crashed worker fail with WORKER_CRASHED.
 */
import type { Category, FindOptions, Match, RedactOptions, RedactResult, ValidateResult } from './types'
import { DetectorError } from './types'
import type { PatternSummary } from './registry'
import type { WorkerResponse } from './worker'

/** The subset of ChildProcess / Electron UtilityProcess the client needs. */
export interface ChildLike {
  /** Electron UtilityProcess */
  postMessage?(msg: unknown): void
  /** Node ChildProcess */
  send?(msg: unknown): boolean
  on(event: 'message', cb: (msg: unknown) => void): unknown
  on(event: 'exit', cb: (code: number | null) => void): unknown
  on(event: 'error', cb: (err: Error) => void): unknown
  kill(signal?: NodeJS.Signals | number): boolean
  pid?: number
}

export interface DetectorClientOptions {
  spawn: () => ChildLike
  /** Default per-request timeout in ms (default 30 s). */
  timeoutMs?: number
  /** Called after a worker was killed or crashed. */
  onWorkerExit?: (info: { code: number | null; reason: 'crash' | 'timeout' | 'close' }) => void
}

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
  child: ChildLike
}

export class DetectorClient {
  private child: ChildLike | undefined
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private closed = false
  /** Number of workers started so far. */
  spawned = 0

  constructor(private readonly opts: DetectorClientOptions) {}

  private worker(): ChildLike {
    if (this.child) return this.child
    const child = this.opts.spawn()
    this.spawned++
    this.child = child
    let exitReason: 'crash' | 'timeout' | 'close' = 'crash'
    ;(child as ChildLike & { _exitReason?: (r: 'timeout' | 'close') => void })._exitReason = (r) => (exitReason = r)
    child.on('message', (msg) => this.onMessage(child, msg))
    const onGone = (code: number | null) => {
      if (this.child === child) this.child = undefined
      for (const [id, p] of this.pending) {
        if (p.child !== child) continue
        this.pending.delete(id)
        clearTimeout(p.timer)
        p.reject(new DetectorError('WORKER_CRASHED', `detector worker exited (code ${code ?? 'signal'}) before answering`))
      }
      this.opts.onWorkerExit?.({ code, reason: exitReason })
    }
    let gone = false
    child.on('exit', (code) => {
      if (gone) return
      gone = true
      onGone(code)
    })
    child.on('error', () => {
      if (gone) return
      gone = true
      try {
        child.kill('SIGKILL')
      } catch {
        /* already dead */
      }
      onGone(null)
    })
    return child
  }

  private onMessage(child: ChildLike, raw: unknown): void {
    // Electron's utilityProcess delivers the message itself; MessageEvent-like objects carry .data
    const msg = (raw && typeof raw === 'object' && 'data' in raw && !('id' in raw) ? (raw as { data: unknown }).data : raw) as WorkerResponse
    if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number') return
    const p = this.pending.get(msg.id)
    if (!p || p.child !== child) return
    this.pending.delete(msg.id)
    clearTimeout(p.timer)
    if (msg.ok) p.resolve(msg.result)
    else p.reject(new DetectorError(msg.error?.code ?? 'INTERNAL', msg.error?.message ?? 'worker error'))
  }

  private kill(child: ChildLike, reason: 'timeout' | 'close'): void {
    ;(child as ChildLike & { _exitReason?: (r: 'timeout' | 'close') => void })._exitReason?.(reason)
    if (this.child === child) this.child = undefined
    try {
      child.kill('SIGKILL')
    } catch {
      /* already dead */
    }
  }

  /** Send a request; rejects with DetectorError codes TIMEOUT, WORKER_CRASHED, CLOSED or the worker's code. */
  request<T>(method: string, params: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new DetectorError('CLOSED', 'detector client is closed'))
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs ?? 30_000
    const id = this.nextId++
    let child: ChildLike
    try {
      child = this.worker()
    } catch (e) {
      return Promise.reject(new DetectorError('WORKER_CRASHED', `cannot start detector worker: ${(e as Error).message}`))
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return
        this.pending.delete(id)
        reject(new DetectorError('TIMEOUT', `detector request "${method}" timed out after ${timeoutMs} ms`))
        // The worker is stuck (or too slow): kill it; other requests on it fail with WORKER_CRASHED.
        this.kill(child, 'timeout')
      }, timeoutMs)
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, child })
      const msg = { id, method, params, deadline: Date.now() + timeoutMs }
      try {
        if (typeof child.postMessage === 'function') child.postMessage(msg)
        else if (typeof child.send === 'function') child.send(msg)
        else throw new Error('child has neither postMessage nor send')
      } catch (e) {
        this.pending.delete(id)
        clearTimeout(timer)
        reject(new DetectorError('WORKER_CRASHED', `cannot reach detector worker: ${(e as Error).message}`))
      }
    })
  }

  /** Liveness; with `load`, the worker also loads its patterns first (then `patterns` is their count). */
  ping(opts?: { timeoutMs?: number; load?: boolean }): Promise<{ pong: true; pid: number; patterns: number | null }> {
    return this.request('ping', opts?.load ? { load: true } : {}, opts)
  }

  find(text: string, options: FindOptions = {}, opts?: { timeoutMs?: number }): Promise<Match[]> {
    return this.request('find', { text, options }, opts)
  }

  redact(text: string, options: RedactOptions = {}, opts?: { timeoutMs?: number }): Promise<RedactResult> {
    return this.request('redact', { text, options }, opts)
  }

  validate(text: string, patternId: string, opts?: { timeoutMs?: number }): Promise<ValidateResult> {
    return this.request('validate', { text, patternId }, opts)
  }

  listPatterns(filter: { namespaces?: string[]; categories?: Category[] } = {}, opts?: { timeoutMs?: number }): Promise<PatternSummary[]> {
    return this.request('listPatterns', filter, opts)
  }

  /** Kill the worker and reject everything pending with CLOSED. */
  close(): void {
    this.closed = true
    for (const [id, p] of this.pending) {
      this.pending.delete(id)
      clearTimeout(p.timer)
      p.reject(new DetectorError('CLOSED', 'detector client closed'))
    }
    if (this.child) this.kill(this.child, 'close')
  }
}
