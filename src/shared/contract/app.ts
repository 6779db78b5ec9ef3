import { z } from 'zod'
import { channel } from './define'
import type { AppErrorShape } from '../errors'

export interface AppInfo {
  name: string
  version: string
  mode: 'electron' | 'browser'
  platform: string
  dataDir: string
  /** Set when the app booted in a degraded state (e.g. unreadable database). The UI shows an error screen. */
  fatal: (AppErrorShape & { path?: string; hint?: string }) | null
  /** How long createApp took to boot, ms. */
  bootMs: number
}

export interface ChannelTiming {
  channel: string
  calls: number
  errors: number
  p50Ms: number
  p95Ms: number
  maxMs: number
}

export const appChannels = {
  'app.info': channel<AppInfo>()(z.undefined()),
  'monitoring.ipcStats': channel<ChannelTiming[]>()(z.undefined()),
}

export const appEvents = {
  /** The app stopped using its database (e.g. found damaged after boot); the UI shows the error screen. */
  'app.fatal': z.object({ code: z.literal('DATABASE'), message: z.string() }),
}
