import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Native dynamic import, kept out of reach of the bundler: some of our dependencies are ESM-only (their
 * "require" export is broken), and a CommonJS main-process bundle would otherwise turn import() into require().
 */
const nativeImport = new Function('s', 'return import(s)') as <T>(specifier: string) => Promise<T>

const cache = new Map<string, Promise<unknown>>()

export function importEsm<T>(specifier: string): Promise<T> {
  let p = cache.get(specifier)
  if (!p) {
    // Vitest (and a bundle that keeps import()) resolve this one; plain Node CommonJS falls back to the native import.
    p = (import(/* @vite-ignore */ specifier) as Promise<T>).catch(() => nativeImport<T>(specifier))
    cache.set(specifier, p)
  }
  return p as Promise<T>
}

/** A file inside an installed package's folder, as a file: URL (resolved from the package's main entry). */
export function packageFileUrl(pkg: string, fromMainEntry: string): string {
  const req = createRequire(__filename)
  return pathToFileURL(join(dirname(req.resolve(pkg)), fromMainEntry)).href
}
