import type { ChildLike } from '../../detector/client'
import type { SecretStore } from '../secrets/store'

export interface NativeNotification {
  title: string
  body: string
  urgency: 'low' | 'normal' | 'critical'
}

/**
 * A child process speaking structured messages: Electron's UtilityProcess (postMessage) or Node's
 * ChildProcess (send). Both already have this shape, so adapters return them as they are.
 */
export type WorkerHandle = ChildLike

export interface SpawnWorkerOptions {
  args?: string[]
  env?: Record<string, string>
  /** Node only: e.g. ['--import', 'tsx'] to run TypeScript sources in development and tests. */
  execArgv?: string[]
}

export interface OpenDialogOptions {
  title?: string
  filters?: { name: string; extensions: string[] }[]
  multiple?: boolean
  directory?: boolean
}

export interface Dialogs {
  /** false in browser mode: the renderer uses <input type=file> and sends contents instead. */
  readonly supported: boolean
  openFiles(opts: OpenDialogOptions): Promise<string[]>
  saveFile(opts: { title?: string; defaultPath?: string }): Promise<string | null>
}

export interface UpdateInfo {
  version: string
  releaseNotes?: string
}

export interface Updater {
  /** Only packaged Electron builds check for updates; never browser mode or tests. */
  readonly supported: boolean
  check(): Promise<UpdateInfo | null>
}

/** Everything the services need from the host. Electron and plain Node implement it; tests fake it. */
export interface Platform {
  readonly kind: 'electron' | 'node'
  readonly paths: { userData: string; logs: string; temp: string }
  /** 'delegated' means the renderer shows it (browser mode: Web Notifications API). */
  notify(n: NativeNotification): Promise<'shown' | 'delegated' | 'unsupported'>
  /** The fallback secret store used when the OS keychain is unreachable. */
  fallbackSecretStore(): SecretStore
  spawnWorker(modulePath: string, opts?: SpawnWorkerOptions): WorkerHandle
  readonly dialogs: Dialogs
  readonly updater: Updater
}
