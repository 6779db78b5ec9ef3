import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { compilePattern, type CompiledPattern } from './compiled'
import { cacheGet, cachePut, sha256 } from './cache'
import { checkReDoS } from './redos'
import { checkPatternFile, patternFileSchema } from './schema'
import { scanText } from './scan'
import { builtinVerifiers } from './verify/index'
import type { Category, PatternFile, Verifier } from './types'
import { DetectorError } from './types'

/** Error raised while loading pattern files; the message names file, pattern id and field. */
export class PatternLoadError extends DetectorError {
  readonly file: string
  readonly patternId?: string
  readonly field?: string
  constructor(file: string, patternId: string | undefined, field: string | undefined, message: string) {
    const where = [file, patternId ? `pattern "${patternId}"` : undefined, field ? `field "${field}"` : undefined]
      .filter(Boolean)
      .join(': ')
    super('PATTERN_LOAD', `${where}: ${message}`)
    this.name = 'PatternLoadError'
    this.file = file
    this.patternId = patternId
    this.field = field
  }
}

let fingerprint: string | undefined
function schemaFingerprint(): string {
  if (!fingerprint) fingerprint = sha256(JSON.stringify(patternFileSchema))
  return fingerprint
}

function hasYml(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => /\.ya?ml$/i.test(f))
  } catch {
    return false
  }
}

/**
 * The folder with the built-in pattern files: `SPM_PATTERNS_DIR`, else the first `patterns/` folder
 * with .yml files found walking up from this module (works from src/detector under vitest/tsx and
 * from the bundled out/main/*.js), else walking up from the working directory.
 */
export function builtinPatternsDir(): string {
  const env = process.env.SPM_PATTERNS_DIR
  if (env) return resolve(env)
  const starts: string[] = []
  if (typeof __dirname !== 'undefined') starts.push(__dirname)
  starts.push(process.cwd())
  for (const start of starts) {
    let dir = resolve(start)
    for (;;) {
      const cand = join(dir, 'patterns')
      if (hasYml(cand)) return cand
      const up = dirname(dir)
      if (up === dir) break
      dir = up
    }
  }
  throw new DetectorError('PATTERNS_NOT_FOUND', 'built-in patterns folder not found (set SPM_PATTERNS_DIR)')
}

export interface LoadOptions {
  /** Files or folders of .yml files. Default: the built-in patterns folder. */
  paths?: string[]
  /** Also load the built-in patterns when `paths` is given. Default false. */
  includeBuiltin?: boolean
  /** Check each file against the JSON Schema (default true). */
  validateSchema?: boolean
  /** Check every pattern's match/nomatch examples (default false). */
  validateExamples?: boolean
  /**
   * Catastrophic-backtracking check with `recheck`: true = all files, false = none,
   * 'custom' (default) = files outside the built-in folder (built-ins are checked by a test).
   */
  checkReDoS?: boolean | 'custom'
  /** Extra verifiers (in addition to the built-in ones), by name. */
  verifiers?: Record<string, Verifier>
  /** Use the on-disk cache of parsed pattern files and ReDoS verdicts (default true). */
  cache?: boolean
  /** Whether to register the built-in verifiers (default true). */
  builtinVerifiers?: boolean
}

export interface PatternSummary {
  id: string
  namespace: string
  category: Category
  severity: string
  action: string
  location: string
  description: string
  verification?: string
  storeRaw: boolean
}

export class PatternRegistry {
  private readonly patterns = new Map<string, CompiledPattern>()
  private readonly verifiers = new Map<string, Verifier>()
  private readonly files = new Map<string, string>() // namespace -> file
  private ordered: CompiledPattern[] | undefined

  constructor(opts: { verifiers?: Record<string, Verifier>; builtinVerifiers?: boolean } = {}) {
    if (opts.builtinVerifiers !== false) {
      for (const [k, v] of Object.entries(builtinVerifiers)) this.verifiers.set(k, v)
    }
    for (const [k, v] of Object.entries(opts.verifiers ?? {})) this.verifiers.set(k, v)
  }

  /** Registers (or replaces) a verifier; it must be a function of the value alone (see Verifier). */
  registerVerifier(name: string, fn: Verifier): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new DetectorError('BAD_VERIFIER', `invalid verifier name "${name}"`)
    this.verifiers.set(name, fn)
  }

  getVerifier(name: string): Verifier | undefined {
    return this.verifiers.get(name)
  }

  verifierNames(): string[] {
    return [...this.verifiers.keys()].sort()
  }

  /** Load one YAML file. */
  addFile(path: string, opts: LoadOptions & { redos?: boolean } = {}): void {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (e) {
      throw new PatternLoadError(path, undefined, undefined, `cannot read: ${(e as Error).message}`)
    }
    // Cache of parsed, schema-valid files keyed by content hash (YAML parsing dominates cold loads).
    const useCache = opts.cache !== false && opts.validateSchema !== false
    const key = useCache ? sha256(schemaFingerprint() + '\u0000' + text) : ''
    const cached = useCache ? cacheGet<unknown>('patterns', key) : undefined
    if (cached !== undefined) {
      this.addDocument(cached, path, { ...opts, validateSchema: false, schemaChecked: true })
      return
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
    if (doc.errors.length > 0) {
      throw new PatternLoadError(path, undefined, undefined, `YAML syntax error: ${doc.errors[0].message.split('\n')[0]}`)
    }
    const data = doc.toJS({ maxAliasCount: 50 }) as unknown
    this.addDocument(data, path, opts)
    if (useCache) cachePut('patterns', key, data)
  }

  /** Add an already parsed pattern file (`source` names it in error messages). */
  addDocument(raw: unknown, source: string, opts: LoadOptions & { redos?: boolean; schemaChecked?: boolean } = {}): void {
    if (opts.validateSchema !== false && !opts.schemaChecked) {
      const issues = checkPatternFile(raw)
      if (issues.length > 0) {
        const i = issues[0]
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''
        throw new PatternLoadError(source, i.patternId, i.field, i.message + more)
      }
    } else if (!opts.schemaChecked && (!raw || typeof raw !== 'object' || !Array.isArray((raw as PatternFile).patterns))) {
      throw new PatternLoadError(source, undefined, 'patterns', 'must be a list')
    }
    const file = raw as PatternFile
    const ns = file.namespace
    const prevFile = this.files.get(ns)
    if (prevFile && prevFile !== source) {
      throw new PatternLoadError(source, undefined, 'namespace', `namespace "${ns}" already loaded from ${prevFile}`)
    }
    const compiled: CompiledPattern[] = []
    const seen = new Set<string>()
    for (const def of file.patterns) {
      if (seen.has(def.id) || this.patterns.has(`${ns}/${def.id}`)) {
        throw new PatternLoadError(source, def.id, 'id', 'duplicate pattern id')
      }
      seen.add(def.id)
      if (def.verification && !this.verifiers.has(def.verification)) {
        throw new PatternLoadError(source, def.id, 'verification', `unknown verifier "${def.verification}"`)
      }
      const r = compilePattern(ns, def, source)
      if (!r.ok) throw new PatternLoadError(source, def.id, r.field, r.message)
      if (opts.redos) {
        const red = checkReDoS(def.pattern, def.flags ?? '')
        if (!red.safe) throw new PatternLoadError(source, def.id, 'pattern', red.message)
      }
      compiled.push(r.pattern)
    }
    if (opts.validateExamples) {
      for (const p of compiled) this.checkExamples(p, source)
    }
    this.files.set(ns, source)
    for (const p of compiled) this.patterns.set(p.fullId, p)
    this.ordered = undefined
  }

  private checkExamples(p: CompiledPattern, source: string): void {
    const get = (n: string) => this.verifiers.get(n)
    p.def.examples.match.forEach((ex, i) => {
      const c = scanText(ex, [p], get, false)
      if (c.length === 0) {
        throw new PatternLoadError(source, p.id, `examples.match[${i}]`, 'example is not found (or does not verify)')
      }
    })
    p.def.examples.nomatch.forEach((ex, i) => {
      const c = scanText(ex, [p], get, false)
      if (c.length > 0) {
        throw new PatternLoadError(source, p.id, `examples.nomatch[${i}]`, 'example is matched and verified')
      }
    })
  }

  /** All patterns, ordered by full id. */
  list(): CompiledPattern[] {
    if (!this.ordered) this.ordered = [...this.patterns.values()].sort((a, b) => (a.fullId < b.fullId ? -1 : a.fullId > b.fullId ? 1 : 0))
    return this.ordered
  }

  get(fullId: string): CompiledPattern | undefined {
    return this.patterns.get(fullId)
  }

  has(fullId: string): boolean {
    return this.patterns.has(fullId)
  }

  byNamespace(ns: string): CompiledPattern[] {
    return this.list().filter((p) => p.namespace === ns)
  }

  namespaces(): string[] {
    return [...this.files.keys()].sort()
  }

  get size(): number {
    return this.patterns.size
  }

  /** A serialisable description of the patterns (no regex objects). */
  summaries(filter: { namespaces?: string[]; categories?: Category[] } = {}): PatternSummary[] {
    return this.list()
      .filter((p) => !filter.namespaces || filter.namespaces.includes(p.namespace))
      .filter((p) => !filter.categories || filter.categories.includes(p.category))
      .map((p) => ({
        id: p.fullId,
        namespace: p.namespace,
        category: p.category,
        severity: p.severity,
        action: p.action,
        location: p.def.location,
        description: p.def.description,
        verification: p.verification,
        storeRaw: p.storeRaw,
      }))
  }
}

function expandPaths(paths: string[]): string[] {
  const out: string[] = []
  for (const p of paths) {
    let st
    try {
      st = statSync(p)
    } catch {
      throw new PatternLoadError(p, undefined, undefined, 'no such file or folder')
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) if (/\.ya?ml$/i.test(f)) out.push(join(p, f))
    } else out.push(p)
  }
  return out
}

/** Load pattern files into a new registry. */
export function loadRegistry(opts: LoadOptions = {}): PatternRegistry {
  const reg = new PatternRegistry({ verifiers: opts.verifiers, builtinVerifiers: opts.builtinVerifiers })
  let builtinDir: string | undefined
  const paths: string[] = []
  if (!opts.paths || opts.paths.length === 0 || opts.includeBuiltin) {
    builtinDir = builtinPatternsDir()
    paths.push(builtinDir)
  }
  if (opts.paths) paths.push(...opts.paths)
  const redosMode = opts.checkReDoS ?? 'custom'
  for (const file of expandPaths(paths)) {
    const isBuiltin = builtinDir !== undefined && resolve(dirname(file)) === resolve(builtinDir) && existsSync(file)
    const redos = redosMode === true || (redosMode === 'custom' && !isBuiltin)
    reg.addFile(file, { ...opts, redos })
  }
  return reg
}

