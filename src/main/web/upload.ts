import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FileGrants } from '../files/grants'

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024
const KEEP_MS = 24 * 3600_000

/** A file name safe to create on any OS: no separators, no control or reserved characters. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 200)
  return cleaned || 'upload'
}

/**
 * Browser mode has no OS paths for dropped files, so big files (PDFs) are streamed here first:
 * written under <data>/uploads/<random>/<name> (temp + rename), granted for reading, and the path is
 * returned for the path-taking import channels. The caller has already checked Host, Origin and token.
 */
export async function receiveUpload(req: IncomingMessage, res: ServerResponse, uploadsDir: string, grants: FileGrants): Promise<void> {
  const send = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  const name = safeFileName(new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? '')
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (!Number.isFinite(declared)) return send(411, { error: 'Content-Length is required' })
  if (declared > MAX_UPLOAD_BYTES) return send(413, { error: `Files over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB are not accepted here` })
  const dir = join(uploadsDir, randomBytes(8).toString('hex'))
  mkdirSync(dir, { recursive: true })
  const final = join(dir, name)
  const part = `${final}.part`
  let received = 0
  req.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (received > declared) req.destroy(new Error('more data than Content-Length'))
  })
  try {
    await pipeline(req, createWriteStream(part, { mode: 0o600, flush: true }))
    if (received !== declared) throw new Error('upload ended early')
    renameSync(part, final)
  } catch {
    rmSync(dir, { recursive: true, force: true })
    if (!res.headersSent) send(400, { error: 'The upload was interrupted' })
    return
  }
  grants.grantRead([final])
  send(200, { path: final, bytes: received })
}

/** Uploads are copied into the library on import; leftovers older than a day are removed. */
export function pruneUploads(uploadsDir: string, now = Date.now()): void {
  let entries: string[]
  try {
    entries = readdirSync(uploadsDir)
  } catch {
    return
  }
  for (const e of entries) {
    const p = join(uploadsDir, e)
    try {
      if (now - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { recursive: true, force: true })
    } catch {
      // Gone already, or in use: try again next start.
    }
  }
}
