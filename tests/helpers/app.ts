import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type App, type AppConfig } from '../../src/main/app'
import { createNodePlatform } from '../../src/main/platform/node'
import type { Platform } from '../../src/main/platform/types'

export function tempDir(prefix = 'spm-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface TestApp {
  app: App
  dir: string
  platform: Platform
  close(): Promise<void>
}

/** A real app on a temp data folder: real SQLite file, encrypted-file secrets unless a keychain is asked for. */
export async function startTestApp(
  opts: { config?: Partial<AppConfig>; platform?: (p: Platform) => Platform; dir?: string } = {},
): Promise<TestApp> {
  const tmp = opts.dir ? { dir: opts.dir, cleanup: () => {} } : tempDir()
  const base = createNodePlatform({ userData: tmp.dir, secretsPassphrase: 'test-passphrase' })
  const platform = opts.platform ? opts.platform(base) : base
  const app = await createApp(platform, {
    version: '0.0.0-test',
    mode: 'browser',
    useKeychain: false,
    startupHealthCheck: false,
    ...opts.config,
  })
  await app.ready
  return {
    app,
    dir: tmp.dir,
    platform,
    async close() {
      await app.shutdown()
      tmp.cleanup()
    },
  }
}
