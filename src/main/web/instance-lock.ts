import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Browser mode's equivalent of Electron's single-instance lock: one host per data folder. */
export function acquireInstanceLock(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'instance.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return { release: () => rmSync(file, { force: true }) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(readFileSync(file, 'utf8'))
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new Error(`Science Paper Manager is already running on this data folder (pid ${pid}): ${dataDir}`)
      rmSync(file, { force: true }) // stale lock from a crashed run
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`)
}
