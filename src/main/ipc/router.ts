import type { z } from 'zod'
import { channels, isChannelName, type ChannelName, type ChannelOutput, type ChannelParsedInput } from '../../shared/contract'
import { AppError, type AppErrorShape, type Result } from '../../shared/errors'
import type { Logger } from '../logger'
import type { IpcMetrics } from '../monitoring/ipc-metrics'

export interface CallContext {
  transport: 'electron' | 'ws' | 'internal'
}

export type Handler<C extends ChannelName> = (
  input: ChannelParsedInput<C>,
  ctx: CallContext,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>

export type Handlers = { [C in ChannelName]: Handler<C> }
export type PartialHandlers = Partial<Handlers>

export interface Router {
  invoke(channel: unknown, input: unknown, ctx: CallContext): Promise<Result<unknown>>
}

function describeIssues(channel: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => {
    const path = i.path.length ? i.path.map(String).join('.') : 'input'
    return `${path}: ${i.message}`
  })
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`)
  return `Invalid input for ${channel}: ${parts.join('; ')}`
}

/**
 * The single entry point for every call from a renderer: validate → handler → timing → error mapping.
 * Handlers only ever see parsed input; only AppError messages cross the boundary.
 */
export function createRouter(handlers: Handlers, deps: { metrics: IpcMetrics; logger: Logger }): Router {
  return {
    async invoke(channel, input, ctx) {
      const started = performance.now()
      if (!isChannelName(channel)) {
        const name = typeof channel === 'string' ? JSON.stringify(channel.slice(0, 80)) : `of type ${typeof channel}`
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${name}` } }
      }
      const parsed = channels[channel].input.safeParse(input)
      if (!parsed.success) {
        deps.metrics.record(channel, performance.now() - started, false)
        return { ok: false, error: { code: 'VALIDATION', message: describeIssues(channel, parsed.error) } }
      }
      try {
        const handler = handlers[channel] as Handler<ChannelName>
        const data = await handler(parsed.data as never, ctx)
        deps.metrics.record(channel, performance.now() - started, true)
        return { ok: true, data }
      } catch (err) {
        deps.metrics.record(channel, performance.now() - started, false)
        return { ok: false, error: toErrorShape(err, channel, deps.logger) }
      }
    },
  }
}

export function toErrorShape(err: unknown, channel: string, logger: Logger): AppErrorShape {
  if (err instanceof AppError) return { code: err.code, message: err.message }
  // Unknown errors may carry paths, SQL or secrets: log the detail (scrubbed), return a generic message.
  logger.error('handler failed', { channel, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  return { code: 'INTERNAL', message: `Something went wrong in ${channel}. Details were written to the log.` }
}
