import { fork } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EncryptedFileSecretStore } from '../secrets/file-store'
import type { Platform, SpawnWorkerOptions, WorkerHandle } from './types'

export interface NodePlatformOptions {
  userData: string
  /** Passphrase for the encrypted-file secret store; defaults to a random key file beside it. */
  secretsPassphrase?: string
}

export function forkWorker(modulePath: string, opts: SpawnWorkerOptions = {}): WorkerHandle {
  return fork(modulePath, opts.args ?? [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: opts.execArgv ?? [],
    env: { ...process.env, ...opts.env },
    serialization: 'advanced',
  }) as unknown as WorkerHandle
}

/** Plain-Node host: browser mode and tests. */
export function createNodePlatform(opts: NodePlatformOptions): Platform {
  const logs = join(opts.userData, 'logs')
  mkdirSync(logs, { recursive: true })
  let fallback: EncryptedFileSecretStore | null = null
  return {
    kind: 'node',
    paths: { userData: opts.userData, logs, temp: tmpdir() },
    notify: async () => 'delegated',
    fallbackSecretStore: () =>
      (fallback ??= new EncryptedFileSecretStore(join(opts.userData, 'secrets.enc'), opts.secretsPassphrase)),
    spawnWorker: (modulePath, spawnOpts) => forkWorker(modulePath, spawnOpts),
    dialogs: {
      supported: false,
      openFiles: async () => [],
      saveFile: async () => null,
    },
    updater: { supported: false, check: async () => null },
  }
}
