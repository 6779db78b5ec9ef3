// Browser mode entry: the same services as the Electron app, hosted by plain Node.
import { join } from 'node:path'
import { createApp } from '../app'
import { defaultUserDataDir } from '../paths'
import { createNodePlatform } from '../platform/node'
import { appRoot } from '../resources'
import { acquireInstanceLock } from './instance-lock'
import { startWebServer } from './server'

declare const __APP_VERSION__: string

async function main() {
  const dataDir = defaultUserDataDir()
  let lock
  try {
    lock = acquireInstanceLock(dataDir)
  } catch (err) {
    console.error((err as Error).message)
    process.exit(1)
  }
  const platform = createNodePlatform({ userData: dataDir, secretsPassphrase: process.env.SPM_SECRETS_PASSPHRASE })
  const app = await createApp(platform, {
    version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev',
    mode: 'browser',
    startupDelayMs: 1500,
    keychainService: process.env.SPM_KEYCHAIN_SERVICE,
    useKeychain: process.env.SPM_DISABLE_KEYCHAIN !== '1',
  })
  const rendererDir = process.env.SPM_RENDERER_DIR ?? join(appRoot(), 'out', 'renderer')
  const port = process.env.SPM_PORT ? Number(process.env.SPM_PORT) : 0
  const web = await startWebServer({ app, rendererDir, port })
  console.log(`Science Paper Manager (browser mode) is running. Open: ${web.url}`)
  console.log(`Data folder: ${dataDir}`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await web.close()
    await app.shutdown()
    lock.release()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err) => {
  console.error(`Browser mode failed to start: ${(err as Error).message}`)
  process.exit(1)
})
