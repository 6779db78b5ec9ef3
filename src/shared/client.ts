import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from './contract'
import { AppError, isAppErrorShape, type Result } from './errors'

/** What a transport gives the renderer: the preload bridge in Electron, a WebSocket in browser mode. */
export interface RawApi {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>
  on(event: string, cb: (payload: unknown) => void): () => void
  /** Desktop only: OS paths of dropped/picked files, granted for path-taking channels. */
  droppedPaths?(files: File[]): Promise<string[]>
}

export interface TypedApi {
  invoke<C extends ChannelName>(
    channel: C,
    ...input: undefined extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>]
  ): Promise<ChannelOutput<C>>
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void
}

/** Wraps a raw transport: unwraps results and rethrows failures as AppError so callers use try/catch. */
export function typedApi(raw: RawApi): TypedApi {
  return {
    async invoke(channel: string, input?: unknown) {
      const res = await raw.invoke(channel, input)
      if (res.ok) return res.data as never
      const err = isAppErrorShape(res.error) ? res.error : { code: 'INTERNAL' as const, message: 'Malformed error' }
      throw new AppError(err.code, err.message)
    },
    on(event: string, cb: (payload: never) => void) {
      return raw.on(event, cb as (p: unknown) => void)
    },
  } as TypedApi
}
