import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Host {
  url: string
  origin: string
  dataDir: string
  child: ChildProcess
  stop(): Promise<void>
}

const root = join(__dirname, '..')

/** Starts the built browser-mode host on a fresh data folder and waits for the URL it prints. */
export async function startHost(env: Record<string, string> = {}, seed?: (dataDir: string) => void): Promise<Host> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spm-e2e-'))
  seed?.(dataDir)
  const child = spawn(process.execPath, [join(root, 'out/main/web.js')], {
    cwd: root,
    env: { ...process.env, SPM_DATA_DIR: dataDir, SPM_DISABLE_KEYCHAIN: '1', SPM_SECRETS_PASSPHRASE: 'e2e', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${output}`)), 15_000)
    const onData = (d: Buffer) => {
      output += d.toString()
      const m = output.match(/Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)))
  })
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
