import type { Handlers } from '../ipc/router'
import type { SearchService } from './service'

export function searchHandlers(svc: SearchService) {
  return {
    'search.query': (input) => svc.query(input),
    'search.count': (input) => ({ total: svc.count(input) }),
    'search.suggest': (input) => svc.suggest(input.q, input.limit),
    'search.ids': (input) => svc.ids(input),
    'search.facets': (input) => svc.facets(input),
    'search.status': () => svc.status(),
    'search.rebuild': (input) => svc.rebuild(input ?? {}),
  } satisfies Pick<Handlers, 'search.query' | 'search.count' | 'search.suggest' | 'search.ids' | 'search.facets' | 'search.status' | 'search.rebuild'>
}
