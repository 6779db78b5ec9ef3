import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { startHost } from './host'

export default async function globalSetup() {
  if (!existsSync(join(__dirname, '..', 'out', 'main', 'web.js'))) throw new Error('Run `npm run build` before the e2e tests')
  const host = await startHost()
  process.env.SPM_E2E_URL = host.url
  return () => host.stop()
}
