import { events, type EventName, type EventPayload } from '../shared/contract'

type Listener = (name: EventName, payload: unknown) => void

/** Typed event bus; transports subscribe and forward to renderers. Payloads are validated at emit. */
export class EventBus {
  private listeners = new Set<Listener>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const parsed = events[name].safeParse(payload)
    if (!parsed.success) throw new Error(`event ${name} emitted with an invalid payload`)
    for (const l of this.listeners) {
      try {
        l(name, parsed.data)
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
}
