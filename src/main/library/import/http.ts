import { HttpStatusError, parseRetryAfter } from '../../jobs/errors'

export interface LookupOptions {
  timeoutMs: number
  signal?: AbortSignal
  userAgent: string
  fetch?: typeof fetch
}

/** The identifier does not exist at the source (404): not retryable, nothing to keep. */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

/** GET with a timeout; non-OK responses become HttpStatusError (429/5xx retryable, Retry-After honoured). */
export async function httpGet(url: string, accept: string, opts: LookupOptions, what: string): Promise<string> {
  const timeout = AbortSignal.timeout(opts.timeoutMs)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  const res = await (opts.fetch ?? fetch)(url, { headers: { accept, 'user-agent': opts.userAgent }, signal, redirect: 'follow' })
  if (res.status === 404) {
    await res.body?.cancel().catch(() => {})
    throw new NotFoundError(`${what} was not found.`)
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {})
    throw new HttpStatusError(res.status, `${what}: the server answered HTTP ${res.status}.`, parseRetryAfter(res.headers.get('retry-after')))
  }
  return res.text()
}

/** A failure worth retrying later (offline, timeout, 429, 5xx) rather than reporting as final. */
export function isTransient(err: unknown): boolean {
  if (err instanceof HttpStatusError) return err.retryable
  if (err instanceof NotFoundError) return false
  const e = err as { name?: string; code?: string; cause?: { code?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return true
  // fetch() rejects with a TypeError whose cause carries the network error code.
  return err instanceof TypeError || typeof e?.cause?.code === 'string' || typeof e?.code === 'string'
}

export function describeLookupError(err: unknown, source: string): string {
  if (err instanceof HttpStatusError)
    return err.status === 429 ? `${source} asked us to slow down (HTTP 429); will retry${err.retryAfterMs ? ` in ${Math.ceil(err.retryAfterMs / 1000)} s` : ' later'}.` : `${source} answered HTTP ${err.status}; will retry later.`
  const e = err as { name?: string }
  if (e?.name === 'TimeoutError') return `${source} did not answer in time; will retry later.`
  if (err instanceof NotFoundError) return err.message
  return `${source} could not be reached (offline?); will retry later.`
}
