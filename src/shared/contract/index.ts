import type { z } from 'zod'
import type { ChannelDef } from './define'
import { appChannels, appEvents } from './app'
import { filesChannels, filesEvents } from './files'
import { healthChannels, healthEvents } from './health'
import { jobsChannels, jobsEvents } from './jobs'
import { libraryChannels, libraryEvents } from './library'
import { notificationsChannels, notificationsEvents } from './notifications'
import { redactionChannels, redactionEvents } from './redaction'
import { secretsChannels, secretsEvents } from './secrets'
import { searchChannels, searchEvents } from './search'

/** Every channel of the app, assembled from the per-domain files. Add a domain here and nowhere else. */
export const channels = {
  ...appChannels,
  ...secretsChannels,
  ...notificationsChannels,
  ...healthChannels,
  ...filesChannels,
  ...jobsChannels,
  ...libraryChannels,
  ...redactionChannels,
  ...searchChannels,
}

export const events = {
  ...appEvents,
  ...secretsEvents,
  ...notificationsEvents,
  ...healthEvents,
  ...filesEvents,
  ...jobsEvents,
  ...libraryEvents,
  ...redactionEvents,
  ...searchEvents,
}

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>
export type ChannelOutput<C extends ChannelName> = Channels[C] extends ChannelDef<z.ZodType, infer O> ? O : never

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[]
export const EVENT_NAMES = Object.keys(events) as EventName[]

export function isChannelName(v: unknown): v is ChannelName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(channels, v)
}
export function isEventName(v: unknown): v is EventName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(events, v)
}

export * from './app'
export * from './files'
export * from './health'
export * from './jobs'
export * from './library'
export * from './notifications'
export * from './redaction'
export * from './secrets'
export * from './search'
export { channel } from './define'
