import type { Handlers } from '../ipc/router'
import type { SecretsService } from './service'

export function secretsHandlers(s: SecretsService) {
  return {
    'secrets.status': () => s.status(),
    'secrets.list': () => s.list(),
    'secrets.set': (i) => s.set(i.provider, i.key, i.baseUrl),
    'secrets.setBaseUrl': (i) => s.setBaseUrl(i.baseUrl),
    'secrets.delete': (i) => s.delete(i.provider),
  } satisfies Pick<Handlers, `secrets.${string}` & keyof Handlers>
}
