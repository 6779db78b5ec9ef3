import { fork } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EncryptedFileSecretStore } from '../secrets/file-store'
import type { Platform, WorkerHandle } from './types'

export interface NodePlatformOptions {
  userData: string
  /** Passphrase for the encrypted-file secret store; defaults to a random key file beside it. */
  secretsPassphrase?: string
  /** execArgv for forked workers, e.g. ['--import', 'tsx'] when running TypeScript sources. */
  workerExecArgv?: string[]
}

export function forkWorker(modulePath: string, args: string[] = [], execArgv?: string[]): WorkerHandle {
  const child = fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, serialization: 'advanced' })
  return {
    get pid() {
      return child.pid
    },
    postMessage: (msg) => {
      if (child.connected) child.send(msg as object)
    },
    onMessage: (cb) => void child.on('message', cb),
    onExit: (cb) => void child.on('exit', (code) => cb(code)),
    kill: () => void child.kill('SIGKILL'),
  }
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
    spawnWorker: (modulePath, args) => forkWorker(modulePath, args, opts.workerExecArgv),
    dialogs: {
      supported: false,
      openFiles: async () => [],
      saveFile: async () => null,
    },
    updater: { supported: false, check: async () => null },
  }
}
