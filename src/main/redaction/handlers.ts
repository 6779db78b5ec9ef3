import type { Handlers } from '../ipc/router'
import type { DetectorService } from './service'

export function redactionHandlers(d: DetectorService) {
  return {
    'detector.status': () => d.status(),
    'detector.patterns': () => d.patternsList(),
    'detector.scan': (i) => d.scan(i.text, i),
    'detector.redact': (i) => d.redact(i.text, i),
  } satisfies Pick<Handlers, `detector.${string}` & keyof Handlers>
}
