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

/**
 * The report of a channel that runs inline or on the job queue: the inline report, or the finished
 * job's result. A failed or cancelled job throws its message, with its error code as `code`.
 */
export async function jobReport<R>(t: TestApp, started: { jobId: number | null; report: R | null }): Promise<R> {
  if (started.report) return started.report
  const s = await t.app.services!.jobs.waitFor(started.jobId!)
  if (s.status !== 'completed') throw Object.assign(new Error(s.error?.message ?? s.status), { code: s.error?.code })
  return s.result as R
}
