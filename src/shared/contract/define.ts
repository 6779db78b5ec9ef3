import type { z } from 'zod'

/** A channel pairs a zod input schema with a phantom output type (outputs are produced by our own code). */
export interface ChannelDef<I extends z.ZodType, O> {
  input: I
  /** Never read at runtime: carries the output type for the typed client. */
  readonly __output?: O
}

export function channel<O>() {
  return <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input })
}

export type AnyChannels = Record<string, ChannelDef<z.ZodType, unknown>>
export type AnyEvents = Record<string, z.ZodType>
