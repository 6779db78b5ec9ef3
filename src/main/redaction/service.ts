import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DetectorClient } from '../../detector/client'
import type { Match, RedactResult } from '../../detector/types'
import { DetectorError } from '../../detector/types'
import type { DetectorPattern, DetectorStatus, Finding, RedactionOutcome } from '../../shared/contract/redaction'
import { AppError } from '../../shared/errors'
import type { Logger } from '../logger'
import type { Platform } from '../platform/types'
import { findResource } from '../resources'

export interface WorkerEntry {
  path: string
  execArgv?: string[]
}

/** The bundled worker (out/main/detector-worker.js) or, from TS sources in dev and tests, worker.ts via tsx. */
export function resolveWorkerEntry(from: string = __dirname): WorkerEntry {
  // Bundled code may sit in out/main or in out/main/chunks.
  for (const dir of [from, join(from, '..')]) {
    const bundled = join(dir, 'detector-worker.js')
    if (existsSync(bundled)) return { path: bundled }
  }
  const source = join(from, '..', '..', 'detector', 'worker.ts')
  if (existsSync(source)) return { path: source, execArgv: ['--import', 'tsx'] }
  throw new Error(`the detector worker script was not found near ${from}; run \`npm run build\``)
}

const toFinding = (m: Match): Finding => ({
  patternId: m.patternId,
  namespace: m.namespace,
  category: m.category,
  severity: m.severity,
  start: m.start,
  end: m.end,
  line: m.line,
  column: m.column,
  verified: m.verified,
  confidence: m.confidence,
})

/**
 * Owns the detector worker process: scans never run on the main thread, a crashed or stuck worker is
 * replaced, and a scan that fails or times out is an error, never an empty (clean) result.
 */
export class DetectorService {
  private readonly client: DetectorClient
  private restarts = 0
  private lastError: string | null = null
  private pid: number | null = null
  private patterns: number | null = null

  constructor(
    platform: Platform,
    private readonly logger: Logger,
    opts: { entry?: WorkerEntry; timeoutMs?: number } = {},
  ) {
    const env: Record<string, string> = {
      SPM_DETECTOR_WORKER: '1',
      SPM_DETECTOR_SECRET_FILE: join(platform.paths.userData, 'detector.secret'),
    }
    try {
      env.SPM_PATTERNS_DIR = findResource('../patterns')
    } catch {
      // The worker falls back to its own search for patterns/.
    }
    this.client = new DetectorClient({
      timeoutMs: opts.timeoutMs ?? 30_000,
      spawn: () => {
        // Resolved on first use: a missing worker fails detector calls (and the health check), not the boot.
        const entry = opts.entry ?? resolveWorkerEntry()
        const child = platform.spawnWorker(entry.path, { env, execArgv: entry.execArgv })
        this.pid = child.pid ?? null
        return child
      },
      onWorkerExit: ({ code, reason }) => {
        this.pid = null
        if (reason === 'close') return
        this.restarts++
        this.lastError = reason === 'timeout' ? 'A scan took too long; the detector was restarted' : `The detector stopped unexpectedly (exit ${code ?? 'signal'})`
        this.logger.warn('detector worker exited', { reason, code })
      },
    })
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof DetectorError) {
        const code = err.code === 'TIMEOUT' ? 'TIMEOUT' : err.code === 'BAD_REQUEST' || err.code === 'UNKNOWN_NAMESPACE' ? 'VALIDATION' : 'UNAVAILABLE'
        this.lastError = err.message
        throw new AppError(code, code === 'TIMEOUT' ? 'The scan did not finish in time; nothing was marked clean. Try a smaller selection.' : `The detector could not complete the scan: ${err.message}`)
      }
      throw err
    }
  }

  async status(): Promise<DetectorStatus> {
    return { running: this.pid !== null, pid: this.pid, patterns: this.patterns, restarts: this.restarts, lastError: this.lastError }
  }

  /** Starts the worker if needed and loads the patterns; used by the health check. */
  async ping(timeoutMs = 10_000): Promise<{ pid: number; patterns: number }> {
    const pong = await this.call(() => this.client.ping({ timeoutMs, load: true }))
    this.pid = pong.pid
    this.patterns = pong.patterns
    return { pid: pong.pid, patterns: pong.patterns ?? 0 }
  }

  async patternsList(): Promise<DetectorPattern[]> {
    const list = await this.call(() => this.client.listPatterns())
    this.patterns = list.length
    return list.map(({ id, namespace, category, severity, location, description, verification }) => ({
      id,
      namespace,
      category,
      severity,
      location,
      description,
      verification,
    }))
  }

  async scan(text: string, opts: { namespaces?: string[]; categories?: Finding['category'][] } = {}): Promise<Finding[]> {
    const matches = await this.call(() => this.client.find(text, { namespaces: opts.namespaces, categories: opts.categories }))
    return matches.map(toFinding)
  }

  async redact(
    text: string,
    opts: { namespaces?: string[]; categories?: Finding['category'][]; strategy: 'mask' | 'hash' | 'tokenize' },
  ): Promise<RedactionOutcome> {
    const res = await this.call(() => this.client.redact(text, opts) as Promise<RedactResult>)
    return {
      text: res.text,
      // Positions and labels only (the report never holds raw values).
      replacements: res.report.replacements.map(({ replacement: _replacement, ...span }) => span),
      counts: res.report.counts as Record<string, number>,
      total: res.report.total,
    }
  }

  close(): void {
    this.client.close()
  }
}
