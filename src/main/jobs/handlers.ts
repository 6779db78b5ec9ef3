import type { Handlers } from '../ipc/router'
import type { JobQueue } from './queue'

export function jobsHandlers(q: JobQueue) {
  return {
    'jobs.add': ({ type, data, ...opts }) => q.addFromUi(type, data, opts),
    'jobs.addBatch': ({ type, items, maxAttempts }) => ({ ids: q.addBatchFromUi(type, items.map((it) => ({ ...it, data: it.data ?? null })), { maxAttempts }) }),
    'jobs.get': ({ id }) => q.get(id),
    'jobs.list': (i) => q.list(i ?? {}),
    'jobs.cancel': ({ id }) => q.cancel(id),
    'jobs.retry': ({ id }) => q.retry(id),
    'jobs.stats': () => q.stats(),
    'jobs.types': () => q.listTypes(),
  } satisfies Pick<Handlers, `jobs.${string}` & keyof Handlers>
}
