import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * Finds a bundled resource (e.g. `resources/migrations`) whether we run from TS sources (vitest, tsx),
 * from the bundle in out/main, or from a packaged Electron app (process.resourcesPath).
 */
export function findResource(relative: string, from: string = __dirname): string {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath
  if (packaged && existsSync(join(packaged, relative))) return join(packaged, relative)
  let dir = from
  for (;;) {
    const candidate = join(dir, 'resources', relative)
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`resource not found: resources/${relative} (searched up from ${from})`)
    dir = parent
  }
}

/** The folder holding package.json and resources/ (the repo in development, the app folder when built). */
export function appRoot(from: string = __dirname): string {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'resources'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`app root not found above ${from}`)
    dir = parent
  }
}
