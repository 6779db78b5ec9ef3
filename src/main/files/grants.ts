import { isAbsolute, resolve, sep } from 'node:path'
import { AppError } from '../../shared/errors'

/**
 * Paths the renderer may name. The renderer cannot choose arbitrary files: a path is usable only after
 * the user picked it in a native dialog opened by the main process (or the main process granted it).
 * A compromised renderer therefore cannot read ~/.ssh or overwrite files it was never given.
 */
export class FileGrants {
  private readonly read = new Set<string>()
  private readonly readDirs = new Set<string>()
  private readonly write = new Set<string>()

  grantRead(paths: string[], opts: { directory?: boolean } = {}): void {
    for (const p of paths) (opts.directory ? this.readDirs : this.read).add(resolve(p))
  }

  grantWrite(path: string): void {
    this.write.add(resolve(path))
  }

  private check(path: string): string {
    if (!isAbsolute(path)) throw new AppError('VALIDATION', 'File paths must be absolute')
    return resolve(path)
  }

  assertRead(path: string): string {
    const p = this.check(path)
    if (this.read.has(p) || this.write.has(p)) return p
    for (const d of this.readDirs) if (p.startsWith(d + sep)) return p
    throw new AppError('VALIDATION', 'This file was not chosen in a file dialog; choose it with “Import…” or drop its contents on the window')
  }

  assertWrite(path: string): string {
    const p = this.check(path)
    if (this.write.has(p)) return p
    throw new AppError('VALIDATION', 'This destination was not chosen in a save dialog')
  }
}
