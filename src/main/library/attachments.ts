import { createHash, randomBytes } from 'node:crypto'
import { constants, promises as fsp } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export interface StoredFile {
  sha256: string
  size: number
  path: string
  /** False when identical content was already stored. */
  created: boolean
}

/**
 * Content-addressed file store: <root>/<sha[0:2]>/<sha[2:]>. Files are copied (the user's original is only
 * read), written to a temp file, fsynced and renamed into place, so a crash never leaves a torn file.
 */
export class AttachmentStore {
  constructor(readonly root: string) {}

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256')
    return join(this.root, sha256.slice(0, 2), sha256.slice(2))
  }

  /** Copies a file in while hashing it. */
  async importFile(src: string, signal?: AbortSignal): Promise<StoredFile> {
    await fsp.mkdir(this.root, { recursive: true })
    const tmp = join(this.root, `.incoming-${randomBytes(8).toString('hex')}`)
    const hash = createHash('sha256')
    const input = await fsp.open(src, constants.O_RDONLY)
    let out: fsp.FileHandle | null = await fsp.open(tmp, 'wx', 0o600)
    let size = 0
    try {
      const buf = Buffer.allocUnsafe(1 << 20)
      for (;;) {
        signal?.throwIfAborted()
        const { bytesRead } = await input.read(buf, 0, buf.length, null)
        if (!bytesRead) break
        hash.update(buf.subarray(0, bytesRead))
        await out.write(buf, 0, bytesRead)
        size += bytesRead
      }
      await out.sync()
      await out.close()
      out = null
      const sha256 = hash.digest('hex')
      const path = this.pathFor(sha256)
      if (await exists(path)) {
        await fsp.rm(tmp, { force: true })
        return { sha256, size, path, created: false }
      }
      await fsp.mkdir(dirname(path), { recursive: true })
      await fsp.rename(tmp, path)
      await syncDir(dirname(path))
      return { sha256, size, path, created: true }
    } catch (err) {
      await out?.close().catch(() => {})
      await fsp.rm(tmp, { force: true })
      throw err
    } finally {
      await input.close()
    }
  }

  async read(sha256: string): Promise<Buffer> {
    return fsp.readFile(this.pathFor(sha256))
  }

  /** Deletes a stored file (callers check that no attachment row still references it). */
  async remove(sha256: string): Promise<void> {
    await fsp.rm(this.pathFor(sha256), { force: true })
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p)
    return true
  } catch {
    return false
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fd = await fsp.open(dir, 'r')
    await fd.sync()
    await fd.close()
  } catch {
    // Not supported everywhere (Windows); the rename is still atomic.
  }
}

export function mimeFor(name: string): string {
  const ext = basename(name).toLowerCase().split('.').pop() ?? ''
  return (
    { pdf: 'application/pdf', epub: 'application/epub+zip', html: 'text/html', htm: 'text/html', txt: 'text/plain', md: 'text/markdown', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' }[ext] ??
    'application/octet-stream'
  )
}
