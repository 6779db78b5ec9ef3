import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { acquireInstanceLock } from '../../src/main/web/instance-lock'
import { tempDir } from '../helpers/app'

describe('browser-mode instance lock', () => {
  const t = tempDir()
  afterAll(t.cleanup)

  it('allows one host per data folder and names the running one', () => {
    const lock = acquireInstanceLock(t.dir)
    expect(readFileSync(join(t.dir, 'instance.lock'), 'utf8')).toBe(String(process.pid))
    expect(() => acquireInstanceLock(t.dir)).toThrow(`already running on this data folder (pid ${process.pid})`)
    lock.release()
    expect(existsSync(join(t.dir, 'instance.lock'))).toBe(false)
  })

  it('takes over a stale lock left by a crashed process', () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
    writeFileSync(join(t.dir, 'instance.lock'), dead.stdout.trim())
    const lock = acquireInstanceLock(t.dir)
    expect(readFileSync(join(t.dir, 'instance.lock'), 'utf8')).toBe(String(process.pid))
    lock.release()
  })
})
