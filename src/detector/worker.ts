/**
 * Detector worker process. Runs as an Electron utilityProcess (process.parentPort) or as a Node
 * child_process.fork (process.on('message') / process.send) — a tiny adapter picks whichever exists.
 *
 * Request:  { id, method: 'find'|'redact'|'validate'|'listPatterns'|'ping', params, deadline? }
 * Response: { id, ok: true, result } | { id, ok: false, error: { code, message } }
 * `deadline` is an absolute time in ms since the epoch; a request already past it is answered with
 * TIMEOUT. The client enforces deadlines for requests that are running (it kills a stuck worker).
 *
 * Environment: SPM_PATTERNS_DIR (built-in patterns), SPM_DETECTOR_EXTRA_PATTERNS (extra files or
 * folders, separated by the platform path delimiter), SPM_DETECTOR_SECRET_FILE (hash secret).
 */
import { delimiter } from 'node:path'
import { Engine } from './engine'
import { loadRegistry, type PatternRegistry } from './registry'
import type { Category, FindOptions, RedactOptions } from './types'
import { DetectorError } from './types'

export type WorkerMethod = 'find' | 'redact' | 'validate' | 'listPatterns' | 'ping'

export interface WorkerRequest {
  id: number | string
  method: WorkerMethod | string
  params?: unknown
  deadline?: number
}

export type WorkerResponse =
  | { id: number | string; ok: true; result: unknown }
  | { id: number | string; ok: false; error: { code: string; message: string } }

let engine: Engine | undefined
let registry: PatternRegistry | undefined

function getEngine(): Engine {
  if (!engine) {
    const extra = (process.env.SPM_DETECTOR_EXTRA_PATTERNS ?? '').split(delimiter).filter(Boolean)
    registry = loadRegistry({ paths: extra.length ? extra : undefined, includeBuiltin: true })
    engine = new Engine(registry)
  }
  return engine
}

function obj(p: unknown): Record<string, unknown> {
  return p && typeof p === 'object' ? (p as Record<string, unknown>) : {}
}

function text(p: Record<string, unknown>): string {
  if (typeof p.text !== 'string') throw new DetectorError('BAD_REQUEST', 'params.text must be a string')
  return p.text
}

/** Handle one request (exported for in-process tests). */
export function handleRequest(req: WorkerRequest): WorkerResponse {
  const id = req?.id
  try {
    if (req.deadline !== undefined && Date.now() > req.deadline) throw new DetectorError('TIMEOUT', 'deadline passed before the request started')
    const p = obj(req.params)
    switch (req.method) {
      case 'ping':
        // `load` makes a health check also prove the patterns load (one round trip, no pattern list)
        if (p.load === true) getEngine()
        return { id, ok: true, result: { pong: true, pid: process.pid, patterns: registry?.size ?? null } }
      case 'find':
        return { id, ok: true, result: getEngine().find(text(p), obj(p.options) as FindOptions) }
      case 'redact': {
        const r = getEngine().redact(text(p), obj(p.options) as RedactOptions)
        return { id, ok: true, result: r }
      }
      case 'validate': {
        if (typeof p.patternId !== 'string') throw new DetectorError('BAD_REQUEST', 'params.patternId must be a string')
        return { id, ok: true, result: getEngine().validate(text(p), p.patternId) }
      }
      case 'listPatterns': {
        getEngine()
        const f = obj(p)
        return {
          id,
          ok: true,
          result: (registry as PatternRegistry).summaries({
            namespaces: f.namespaces as string[] | undefined,
            categories: f.categories as Category[] | undefined,
          }),
        }
      }
      default:
        if (process.env.SPM_DETECTOR_TEST_HOOKS === '1') {
          if (req.method === '__crash') process.exit(3)
          if (req.method === '__hang') {
            const until = Date.now() + Number(p.ms ?? 60_000)
            while (Date.now() < until) {
              /* busy: simulates a stuck scan */
            }
            return { id, ok: true, result: 'woke' }
          }
        }
        throw new DetectorError('BAD_METHOD', `unknown method "${String(req.method)}"`)
    }
  } catch (e) {
    const code = e instanceof DetectorError ? e.code : 'INTERNAL'
    return { id, ok: false, error: { code, message: (e as Error).message } }
  }
}

interface ParentPortLike {
  on(event: 'message', cb: (e: { data: unknown }) => void): void
  postMessage(msg: unknown): void
}

/** Connect to whichever parent channel exists. Returns false when there is none. */
export function startWorker(): boolean {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
  if (parentPort) {
    parentPort.on('message', (e) => parentPort.postMessage(handleRequest(e.data as WorkerRequest)))
    return true
  }
  if (typeof process.send === 'function') {
    process.on('message', (msg) => {
      const res = handleRequest(msg as WorkerRequest)
      process.send?.(res)
    })
    // exit with the parent
    process.on('disconnect', () => process.exit(0))
    return true
  }
  return false
}

function isEntry(): boolean {
  if ((process as unknown as { parentPort?: unknown }).parentPort) return true
  if (process.env.SPM_DETECTOR_WORKER === '1') return true
  return typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module
}

if (isEntry()) startWorker()
