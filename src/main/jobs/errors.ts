/**
 * Errors a job handler throws to tell the queue whether to retry. The queue decides by type (and by
 * well-known Node error codes for network failures), never by matching words in messages.
 */
export class RetryableJobError extends Error {
  override name = 'RetryableJobError'
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A failure that must not be retried, with a stable code for the UI (e.g. 'INTEGRITY', 'BAD_FILE'). */
export class FatalJobError extends Error {
  override name = 'FatalJobError'
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** An HTTP response that was not OK. 408, 429 and 5xx are retryable; Retry-After is honoured. */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError'
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500
  }
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const secs = Number(value)
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
