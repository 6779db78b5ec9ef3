/**
 * Small on-disk cache for the registry: parsed + schema-checked pattern files (keyed by the SHA-256 of
 * the file content) and ReDoS verdicts (keyed by source + flags). Parsing YAML dominates cold registry
 * loads; with the cache a load is JSON.parse + regex compilation. Failures to read or write the cache
 * are ignored (it is only an accelerator). Disable with SPM_DETECTOR_NO_CACHE=1.
 *
 * The build fills a read-only seed (`out/main/detector-cache`, beside the bundles) for the built-in
 * files, so the first start after an install does not pay for YAML + schema either.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

const VERSION = 1

export function cacheDir(): string | undefined {
  if (process.env.SPM_DETECTOR_NO_CACHE === '1') return undefined
  if (process.env.SPM_DETECTOR_CACHE_DIR) return process.env.SPM_DETECTOR_CACHE_DIR
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'science-paper-manager', 'detector')
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}

/** The build's seed folder: next to the bundle, or its parent when this code sits in a shared chunk. */
export function seedDir(): string | undefined {
  const env = process.env.SPM_DETECTOR_SEED_DIR
  const cands = env ? [env] : typeof __dirname === 'undefined' ? [] : [join(__dirname, 'detector-cache'), join(dirname(__dirname), 'detector-cache')]
  return cands.find((c) => existsSync(c))
}

function fileName(kind: string, key: string): string {
  return `${kind}-v${VERSION}-${key}.json`
}

function path(kind: string, key: string): string | undefined {
  const dir = cacheDir()
  return dir ? join(dir, fileName(kind, key)) : undefined
}

function read<T>(p: string, key: string): T | undefined {
  try {
    const obj = JSON.parse(readFileSync(p, 'utf8')) as { key: string; data: T }
    return obj.key === key ? obj.data : undefined
  } catch {
    return undefined
  }
}

export function cacheGet<T>(kind: string, key: string): T | undefined {
  const p = path(kind, key)
  if (!p) return undefined
  const hit = read<T>(p, key)
  if (hit !== undefined) return hit
  const s = seedDir()
  return s ? read<T>(join(s, fileName(kind, key)), key) : undefined
}

export function cachePut(kind: string, key: string, data: unknown): void {
  const p = path(kind, key)
  if (!p) return
  try {
    mkdirSync(join(p, '..'), { recursive: true })
    const tmp = `${p}.${randomBytes(4).toString('hex')}.tmp`
    writeFileSync(tmp, JSON.stringify({ key, data }))
    renameSync(tmp, p)
  } catch {
    /* cache is optional */
  }
}
