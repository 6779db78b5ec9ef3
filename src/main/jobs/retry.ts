import { scrub } from '../logger'
import { FatalJobError, HttpStatusError, RetryableJobError } from './errors'

/** Node's and undici's codes for failures of the network itself (worth another try). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'ESOCKETTIMEDOUT',
])

export interface Classified {
  retryable: boolean
  /** From RetryableJobError / HttpStatusError (Retry-After). */
  retryAfterMs?: number
  code: string
  message: string
}

const codeOf = (e: unknown): string | undefined => {
  const c = (e as { code?: unknown } | null)?.code
  return typeof c === 'string' ? c : undefined
}
const nameOf = (e: unknown): string | undefined => {
  const n = (e as { name?: unknown } | null)?.name
  return typeof n === 'string' ? n : undefined
}

function isTransient(e: unknown): { retryAfterMs?: number } | null {
  if (e instanceof RetryableJobError) return { retryAfterMs: e.retryAfterMs }
  if (e instanceof HttpStatusError) return e.retryable ? { retryAfterMs: e.retryAfterMs } : null
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError: a type, not a message.
  if (nameOf(e) === 'TimeoutError') return {}
  const code = codeOf(e)
  if (code && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return {}
  return null
}

/**
 * Decides by error type (and well-known Node/undici error codes) whether a failed run is worth retrying —
 * never by the words in a message. Follows `cause` chains (fetch wraps socket errors in a TypeError).
 */
export function classifyError(err: unknown): Classified {
  let cur: unknown = err
  let verdict: { retryAfterMs?: number } | null = null
  for (let depth = 0; depth < 5 && cur != null; depth++) {
    if (cur instanceof FatalJobError || (cur instanceof HttpStatusError && !cur.retryable)) break
    verdict = isTransient(cur)
    if (verdict) break
    cur = (cur as { cause?: unknown }).cause
  }
  return { retryable: verdict !== null, retryAfterMs: verdict?.retryAfterMs, code: errorCode(err), message: describe(err) }
}

/** A stable code for the UI: FatalJobError's code, HTTP_<status>, a Node/SQLite code, or the error's name. */
export function errorCode(err: unknown): string {
  if (err instanceof FatalJobError) return err.code
  if (err instanceof HttpStatusError) return `HTTP_${err.status}`
  if (err instanceof RetryableJobError) return codeOf(err.cause) ?? 'RETRYABLE'
  const code = codeOf(err)
  if (code && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code
  const inner = codeOf((err as { cause?: unknown } | null)?.cause)
  if (inner && /^[A-Z][A-Z0-9_]{1,63}$/.test(inner)) return inner
  const name = nameOf(err)
  return name && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'ERROR'
}

/** The message with its causes ("a ← b"), scrubbed of anything that looks like a credential, bounded. */
export function describe(err: unknown): string {
  const parts: string[] = []
  let cur: unknown = err
  for (let depth = 0; depth < 4 && cur != null; depth++) {
    const msg = cur instanceof Error ? cur.message : typeof cur === 'string' ? cur : JSON.stringify(cur)
    if (msg && !parts.includes(msg)) parts.push(msg)
    cur = (cur as { cause?: unknown }).cause
  }
  return scrub(parts.join(' ← ') || 'Unknown error').slice(0, 2000)
}

export interface BackoffOptions {
  baseMs: number
  capMs: number
}

/**
 * Delay before run `attempt + 1`: exponential (base · 2^(attempt-1), capped) with "equal jitter" — half
 * fixed, half random — so retries spread out but never come back immediately.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + random() * (exp / 2))
}
