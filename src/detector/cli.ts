/**
 * `datadetector` command line: find, validate, redact, list-patterns, version.
 * Exit codes: 0 no findings (or valid), 1 findings (or invalid), 2 usage or input error.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, realpathSync, renameSync, rmSync, statSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { Engine } from './engine'
import { globMatch, globToRegExp } from './glob'
import { TokenVault } from './redact'
import { loadRegistry, type PatternRegistry } from './registry'
import { atomicWriteFile } from './yaml/yaml-handler'
import { CATEGORIES, DetectorError, type Category, type Match, type RedactionReport, type RedactionStrategy } from './types'

export const VERSION = '0.1.0'

export interface Io {
  stdin: AsyncIterable<string | Uint8Array>
  /** A process stream (write returns false when full, then 'drain') or any sink for tests. */
  stdout: { write(s: string): unknown; once?(event: 'drain', cb: () => void): unknown }
  stderr: { write(s: string): unknown }
  cwd: string
  env: Record<string, string | undefined>
}

const USAGE = `Usage: datadetector <command> [options] [paths...]

Commands:
  find [paths...]           report sensitive data (files, folders, or stdin when no path or "-")
  redact [paths...]         write redacted copies (stdout for one input without --output)
  validate --pattern ID [values...]   check whole values (stdin lines when no value)
  list-patterns             list the loaded patterns
  version                   print the version

Options:
  --ns NS                   namespace (repeatable)
  --category CAT            category (repeatable or comma-separated)
  --patterns DIR            extra pattern files or folders (repeatable)
  --no-builtin              do not load the built-in patterns
  --format FMT              text | json | jsonl | sarif (default text)
  --include-matched-text    include matched text where the pattern's policy allows it
  --include-unverified      also report matches whose verification failed
  --include GLOB            only files matching (repeatable; folders)
  --exclude GLOB            skip files matching (repeatable; folders)
  --strategy S              mask | hash | tokenize (redact; default mask)
  --vault FILE              tokenize: save an encrypted token vault (passphrase in DATADETECTOR_VAULT_PASSPHRASE)
  --output PATH             output file (find report / single redact) or folder (redact several)
  --force                   allow replacing an existing output file
  --pattern ID              pattern for validate
  -h, --help                this help
Exit codes: 0 no findings, 1 findings, 2 usage or input error.
`

class UsageError extends Error {}

const SNIFF = 8192
const STREAM_THRESHOLD = 32 * 1024 * 1024

interface InputFile {
  path: string // absolute
  label: string // as shown
  explicit: boolean
}

interface Skipped {
  file: string
  reason: string
}

function sniff(path: string): 'binary' | 'text' {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(SNIFF)
    const n = readSync(fd, buf, 0, SNIFF, 0)
    return buf.subarray(0, n).includes(0) ? 'binary' : 'text'
  } finally {
    closeSync(fd)
  }
}

function walk(root: string, cwd: string, include: RegExp[], exclude: RegExp[], incSlash: boolean[], excSlash: boolean[], out: InputFile[]): void {
  const rec = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const full = join(dir, e.name)
      const rel = relative(root, full).split(sep).join('/')
      if (e.isDirectory()) {
        if (exclude.some((g, i) => globMatch(g, rel, excSlash[i]) || globMatch(g, rel + '/', excSlash[i]))) continue
        rec(full)
      } else if (e.isFile()) {
        if (include.length > 0 && !include.some((g, i) => globMatch(g, rel, incSlash[i]))) continue
        if (exclude.some((g, i) => globMatch(g, rel, excSlash[i]))) continue
        out.push({ path: full, label: relative(cwd, full) || full, explicit: false })
      }
    }
  }
  rec(root)
}

function collectInputs(paths: string[], cwd: string, include: string[], exclude: string[]): InputFile[] | 'stdin' {
  if (paths.length === 0 || (paths.length === 1 && paths[0] === '-')) return 'stdin'
  const inc = include.map(globToRegExp)
  const exc = exclude.map(globToRegExp)
  const out: InputFile[] = []
  for (const p of paths) {
    if (p === '-') throw new UsageError('"-" (stdin) cannot be combined with other inputs')
    const abs = resolve(cwd, p)
    let st
    try {
      st = statSync(abs)
    } catch {
      throw new UsageError(`${p}: no such file or folder`)
    }
    if (st.isDirectory()) walk(abs, cwd, inc, exc, include.map((g) => g.includes('/')), exclude.map((g) => g.includes('/')), out)
    else out.push({ path: abs, label: p, explicit: true })
  }
  return out
}

async function readAllStdin(stdin: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of stdin) parts.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c))
  return Buffer.concat(parts)
}

function decodeStrict(buf: Buffer, label: string): string {
  if (buf.subarray(0, SNIFF).includes(0)) throw new DetectorError('BINARY', `${label}: binary file (not scanned)`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch {
    throw new DetectorError('INVALID_UTF8', `${label}: invalid UTF-8 (not scanned)`)
  }
}

interface JsonMatch {
  pattern_id: string
  namespace: string
  category: Category
  severity: string
  start: number
  end: number
  line: number
  column: number
  end_line: number
  end_column: number
  verified: boolean
  confidence: number
  matched_text?: string
  file?: string
}

function toJson(m: Match, file?: string): JsonMatch {
  const j: JsonMatch = {
    pattern_id: m.patternId,
    namespace: m.namespace,
    category: m.category,
    severity: m.severity,
    start: m.start,
    end: m.end,
    line: m.line,
    column: m.column,
    end_line: m.endLine,
    end_column: m.endColumn,
    verified: m.verified,
    confidence: m.confidence,
  }
  if (m.matchedText !== undefined) j.matched_text = m.matchedText
  if (file !== undefined) j.file = file
  return j
}

const SARIF_LEVEL: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' }

function sarif(results: Array<{ file?: string; m: Match }>, registry: PatternRegistry, skipped: Skipped[]): unknown {
  const ruleIds = [...new Set(results.map((r) => r.m.patternId))].sort()
  const rules = ruleIds.map((id) => {
    const p = registry.get(id)
    return {
      id,
      name: id.replace(/[/.-]/g, '_'),
      shortDescription: { text: p?.def.description || id },
      defaultConfiguration: { level: SARIF_LEVEL[p?.severity ?? 'medium'] },
      properties: { category: p?.category, severity: p?.severity, tags: ['pii', p?.category ?? 'other'] },
    }
  })
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'datadetector', version: VERSION, informationUri: 'https://github.com/science-paper-manager', rules } },
        results: results.map(({ file, m }) => ({
          ruleId: m.patternId,
          ruleIndex: ruleIds.indexOf(m.patternId),
          level: SARIF_LEVEL[m.severity],
          message: { text: `${m.category} (${m.patternId})${m.verified ? ', verified' : ''}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: file ? file.split(sep).join('/') : 'stdin' },
                region: { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: m.endColumn, charOffset: m.start, charLength: m.end - m.start },
              },
            },
          ],
          properties: { confidence: m.confidence, verified: m.verified, category: m.category },
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: skipped.map((s) => ({
              level: 'warning',
              message: { text: s.reason },
              locations: [{ physicalLocation: { artifactLocation: { uri: s.file.split(sep).join('/') } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
      },
    ],
  }
}

function parseCategories(values: string[]): Category[] | undefined {
  if (values.length === 0) return undefined
  const out: Category[] = []
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(CATEGORIES as readonly string[]).includes(v)) throw new UsageError(`unknown category "${v}"`)
    out.push(v as Category)
  }
  return out
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return resolve(a) === resolve(b)
  }
}

function checkOutput(out: string, inputs: InputFile[] | 'stdin', force: boolean): void {
  if (inputs !== 'stdin') {
    for (const i of inputs) if (sameFile(out, i.path)) throw new UsageError(`${out}: refusing to overwrite an input file`)
  }
  if (existsSync(out) && !force) throw new UsageError(`${out}: output exists (use --force to replace it)`)
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], ioIn: Partial<Io> = {}): Promise<number> {
  const io: Io = {
    stdin: ioIn.stdin ?? process.stdin,
    stdout: ioIn.stdout ?? process.stdout,
    stderr: ioIn.stderr ?? process.stderr,
    cwd: ioIn.cwd ?? process.cwd(),
    env: ioIn.env ?? process.env,
  }
  const err = (msg: string) => io.stderr.write(`datadetector: ${msg}\n`)
  try {
    return await run(argv, io)
  } catch (e) {
    if (e instanceof UsageError || e instanceof DetectorError) {
      err(e.message.split('\n')[0])
      return 2
    }
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`${(e as Error).message.split('\n')[0]} (see --help)`)
      return 2
    }
    err(`error: ${(e as Error).message.split('\n')[0]}`)
    return 2
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ns: { type: 'string', multiple: true },
      category: { type: 'string', multiple: true },
      patterns: { type: 'string', multiple: true },
      'no-builtin': { type: 'boolean' },
      format: { type: 'string' },
      'include-matched-text': { type: 'boolean' },
      'include-unverified': { type: 'boolean' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      strategy: { type: 'string' },
      vault: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      pattern: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, ...rest] = positionals
  if (values.help || command === 'help') {
    io.stdout.write(USAGE)
    return 0
  }
  if (!command) throw new UsageError('missing command (find, redact, validate, list-patterns, version); see --help')
  if (command === 'version') {
    io.stdout.write(`datadetector ${VERSION}\n`)
    return 0
  }
  const format = values.format ?? 'text'
  if (!['text', 'json', 'jsonl', 'sarif'].includes(format)) throw new UsageError(`unknown format "${format}" (text, json, jsonl, sarif)`)
  const categories = parseCategories(values.category ?? [])
  const namespaces = values.ns && values.ns.length > 0 ? values.ns : undefined

  const custom = (values.patterns ?? []).map((p) => resolve(io.cwd, p))
  if (values['no-builtin'] && custom.length === 0) throw new UsageError('--no-builtin needs --patterns')
  const registry = loadRegistry({ paths: custom.length > 0 ? custom : undefined, includeBuiltin: !values['no-builtin'] })
  const engine = new Engine(registry)
  if (namespaces) for (const ns of namespaces) if (!registry.namespaces().includes(ns)) throw new UsageError(`unknown namespace "${ns}"`)

  switch (command) {
    case 'list-patterns': {
      const list = registry.summaries({ namespaces, categories })
      if (format === 'json') io.stdout.write(JSON.stringify({ patterns: list }, null, 2) + '\n')
      else if (format === 'jsonl') for (const p of list) io.stdout.write(JSON.stringify(p) + '\n')
      else if (format === 'sarif') throw new UsageError('sarif format is for find')
      else for (const p of list) io.stdout.write(`${p.id}\t${p.category}\t${p.severity}\t${p.verification ?? '-'}\t${p.description}\n`)
      return 0
    }
    case 'validate': {
      if (!values.pattern) throw new UsageError('validate needs --pattern ID')
      if (!registry.has(values.pattern)) throw new UsageError(`unknown pattern "${values.pattern}"`)
      const p = registry.get(values.pattern)
      let inputs = rest
      if (inputs.length === 0) {
        inputs = decodeStrict(await readAllStdin(io.stdin), 'stdin')
          .split(/\r?\n/)
          .filter((l) => l.length > 0)
      }
      if (inputs.length === 0) throw new UsageError('validate needs values (arguments or stdin lines)')
      const results = inputs.map((v, i) => {
        const r = engine.validate(v, values.pattern as string)
        return { index: i, pattern_id: r.patternId, valid: r.valid, matched: r.matched, verified: r.verified, confidence: r.confidence, ...(p?.storeRaw ? { value: v } : {}) }
      })
      if (format === 'json') io.stdout.write(JSON.stringify({ results }, null, 2) + '\n')
      else if (format === 'jsonl') for (const r of results) io.stdout.write(JSON.stringify(r) + '\n')
      else if (format === 'sarif') throw new UsageError('sarif format is for find')
      else for (const r of results) io.stdout.write(`${r.index + 1}: ${r.valid ? 'valid' : r.matched ? 'invalid (verification failed)' : 'invalid (no match)'}\n`)
      return results.every((r) => r.valid) ? 0 : 1
    }
    case 'find':
      return find(rest, values as FindFlags, io, engine, registry, namespaces, categories, format)
    case 'redact':
      return redact(rest, values as FindFlags, io, engine, namespaces, categories, format)
    default:
      throw new UsageError(`unknown command "${command}"; see --help`)
  }
}

interface FindFlags {
  include?: string[]
  exclude?: string[]
  output?: string
  force?: boolean
  strategy?: string
  vault?: string
  'include-matched-text'?: boolean
  'include-unverified'?: boolean
}

async function find(
  paths: string[],
  flags: FindFlags,
  io: Io,
  engine: Engine,
  registry: PatternRegistry,
  namespaces: string[] | undefined,
  categories: Category[] | undefined,
  format: string,
): Promise<number> {
  const inputs = collectInputs(paths, io.cwd, flags.include ?? [], flags.exclude ?? [])
  const outPath = flags.output ? resolve(io.cwd, flags.output) : undefined
  if (outPath) checkOutput(outPath, inputs, !!flags.force)
  const opts = { namespaces, categories, includeMatchedText: !!flags['include-matched-text'], includeUnverified: !!flags['include-unverified'] }
  // json and sarif are one document each, so their matches are held; text and jsonl lines are written as
  // they are found (a 1 GiB file has ~500k findings: holding them all took the CLI to ~800 MB).
  const results: Array<{ file?: string; m: Match }> = []
  let found = 0
  const skipped: Skipped[] = []
  let inputError = false
  const whole = format === 'json' || format === 'sarif'
  const sink = whole ? null : openSink(outPath, io)
  const emit = async (file: string | undefined, m: Match) => {
    found++
    if (whole) results.push({ file, m })
    else if (format === 'jsonl') await sink!.write(JSON.stringify(toJson(m, file)) + '\n')
    else {
      const where = `${file ?? '<stdin>'}:${m.line}:${m.column}`
      const raw = m.matchedText !== undefined ? ` ${JSON.stringify(m.matchedText)}` : ''
      await sink!.write(`${where}: ${m.patternId} (${m.category}, ${m.severity}${m.verified ? ', verified' : ', unverified'})${raw}\n`)
    }
  }
  try {
    if (inputs === 'stdin') {
      const text = decodeStrict(await readAllStdin(io.stdin), 'stdin')
      for (const m of engine.find(text, opts)) await emit(undefined, m)
    } else {
      for (const f of inputs) {
        try {
          if (sniff(f.path) === 'binary') throw new DetectorError('BINARY', `${f.label}: binary file (not scanned)`)
          const size = statSync(f.path).size
          if (size > STREAM_THRESHOLD) {
            for await (const m of engine.findStream(createReadStream(f.path), opts)) await emit(f.label, m)
          } else {
            for (const m of engine.find(decodeStrict(readFileSync(f.path), f.label), opts)) await emit(f.label, m)
          }
        } catch (e) {
          if (!(e instanceof DetectorError) || !['BINARY', 'INVALID_UTF8'].includes(e.code)) throw e
          const reason = e.message.startsWith(f.label) ? e.message : `${f.label}: ${e.message}`
          skipped.push({ file: f.label, reason })
          io.stderr.write(`datadetector: ${reason}\n`)
          if (f.explicit) inputError = true
        }
      }
    }
  } catch (e) {
    sink?.abort()
    throw e
  }
  if (sink) await sink.commit()
  else {
    const body =
      format === 'json'
        ? JSON.stringify({ matches: results.map((r) => toJson(r.m, r.file)), ...(skipped.length ? { skipped } : {}) }, null, 2) + '\n'
        : JSON.stringify(sarif(results, registry, skipped), null, 2) + '\n'
    if (outPath) atomicWriteFile(outPath, body)
    else io.stdout.write(body)
  }
  if (inputError) return 2
  return found > 0 ? 1 : 0
}

interface Sink {
  write(s: string): Promise<void>
  /** Makes the output visible: renames the temp file over the target (atomic), or nothing for stdout. */
  commit(): Promise<void>
  /** Drops a half-written temp file. */
  abort(): void
}

/** Streamed output with backpressure: to a temp file renamed into place at the end, or to stdout. */
function openSink(target: string | undefined, io: Io): Sink {
  if (!target) {
    return {
      write: (s) => (io.stdout.write(s) === false && io.stdout.once ? new Promise<void>((r) => io.stdout.once!('drain', r)) : Promise.resolve()),
      commit: async () => {},
      abort: () => {},
    }
  }
  mkdirSync(dirname(target), { recursive: true })
  const tmp = `${target}.${process.pid}.tmp`
  const ws = createWriteStream(tmp, { flags: 'wx' })
  return {
    write: (s) => new Promise<void>((res, rej) => ws.write(s, (e) => (e ? rej(e) : res()))),
    commit: async () => {
      await new Promise<void>((res, rej) => ws.end((e: unknown) => (e ? rej(e) : res())))
      renameSync(tmp, target)
    },
    abort: () => {
      ws.destroy()
      rmSync(tmp, { force: true })
    },
  }
}

function summary(report: RedactionReport, label: string): string {
  const parts = Object.entries(report.counts).map(([k, v]) => `${k}=${v}`)
  return `${label}: ${report.total} redaction${report.total === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`
}

async function redact(
  paths: string[],
  flags: FindFlags,
  io: Io,
  engine: Engine,
  namespaces: string[] | undefined,
  categories: Category[] | undefined,
  format: string,
): Promise<number> {
  const strategy = (flags.strategy ?? 'mask') as RedactionStrategy
  if (!['mask', 'hash', 'tokenize'].includes(strategy)) throw new UsageError(`unknown strategy "${strategy}" (mask, hash, tokenize)`)
  if (format === 'sarif') throw new UsageError('sarif format is for find')
  let vault: TokenVault | undefined
  let passphrase: string | undefined
  if (flags.vault) {
    if (strategy !== 'tokenize') throw new UsageError('--vault needs --strategy tokenize')
    passphrase = io.env.DATADETECTOR_VAULT_PASSPHRASE
    if (!passphrase) throw new UsageError('--vault needs the passphrase in DATADETECTOR_VAULT_PASSPHRASE')
    const vp = resolve(io.cwd, flags.vault)
    if (existsSync(vp) && !flags.force) throw new UsageError(`${flags.vault}: vault exists (use --force to replace it)`)
    vault = new TokenVault()
  }
  const inputs = collectInputs(paths, io.cwd, flags.include ?? [], flags.exclude ?? [])
  const outPath = flags.output ? resolve(io.cwd, flags.output) : undefined
  const opts = { namespaces, categories, strategy, vault }
  const reports: Array<{ file?: string; output?: string; report: RedactionReport }> = []
  const skipped: Skipped[] = []
  let inputError = false

  if (inputs === 'stdin') {
    const text = decodeStrict(await readAllStdin(io.stdin), 'stdin')
    const r = engine.redact(text, opts)
    if (outPath) {
      checkOutput(outPath, inputs, !!flags.force)
      atomicWriteFile(outPath, r.text)
    } else io.stdout.write(r.text)
    reports.push({ output: outPath, report: r.report })
  } else {
    const dirMode = inputs.length > 1 || paths.some((p) => statSync(resolve(io.cwd, p)).isDirectory())
    if (dirMode && !outPath) throw new UsageError('--output FOLDER is required when redacting several files or a folder')
    if (outPath && dirMode) {
      for (const p of paths) {
        const abs = resolve(io.cwd, p)
        if (statSync(abs).isDirectory() && (outPath === abs || outPath.startsWith(abs + sep))) throw new UsageError(`${flags.output}: output folder must not be inside an input folder`)
      }
    }
    if (outPath && !dirMode) checkOutput(outPath, inputs, !!flags.force)
    const roots = paths.map((p) => resolve(io.cwd, p))
    for (const f of inputs) {
      let target: string | undefined
      if (dirMode && outPath) {
        const root = roots.find((r) => f.path === r || f.path.startsWith(r + sep))
        const rel = root && root !== f.path ? relative(root, f.path) : relative(dirname(f.path), f.path)
        target = join(outPath, rel)
        checkOutput(target, inputs, !!flags.force)
      } else target = outPath
      try {
        if (sniff(f.path) === 'binary') throw new DetectorError('BINARY', `${f.label}: binary file (not redacted)`)
        const size = statSync(f.path).size
        let report: RedactionReport
        if (size > STREAM_THRESHOLD && target) {
          const out = openSink(target, io)
          try {
            report = await engine.redactStreamTo(createReadStream(f.path), (c) => out.write(c), opts)
          } catch (e) {
            out.abort()
            throw e
          }
          await out.commit()
        } else {
          const text = decodeStrict(readFileSync(f.path), f.label)
          const r = engine.redact(text, opts)
          if (target) atomicWriteFile(target, r.text)
          else io.stdout.write(r.text)
          report = r.report
        }
        reports.push({ file: f.label, output: target ? relative(io.cwd, target) : undefined, report })
      } catch (e) {
        if (!(e instanceof DetectorError) || !['BINARY', 'INVALID_UTF8'].includes(e.code)) throw e
        skipped.push({ file: f.label, reason: e.message })
        io.stderr.write(`datadetector: ${e.message}\n`)
        if (f.explicit) inputError = true
      }
    }
  }
  if (vault && flags.vault && passphrase) vault.save(resolve(io.cwd, flags.vault), passphrase)
  // Report (never raw values). When the redacted text went to stdout the report goes to stderr.
  const reportOut = outPath ? io.stdout : io.stderr
  const toJsonReport = (r: { file?: string; output?: string; report: RedactionReport }) => ({
    file: r.file,
    output: r.output,
    total: r.report.total,
    counts: r.report.counts,
    replacements: r.report.replacements.map((x) => ({
      pattern_id: x.patternId,
      category: x.category,
      severity: x.severity,
      strategy: x.strategy,
      start: x.start,
      end: x.end,
      line: x.line,
      column: x.column,
      replacement: x.replacement,
    })),
  })
  if (format === 'json') reportOut.write(JSON.stringify({ files: reports.map(toJsonReport), ...(skipped.length ? { skipped } : {}) }, null, 2) + '\n')
  else if (format === 'jsonl') for (const r of reports) reportOut.write(JSON.stringify(toJsonReport(r)) + '\n')
  else for (const r of reports) reportOut.write(summary(r.report, r.file ?? 'stdin') + '\n')
  if (inputError) return 2
  return reports.some((r) => r.report.total > 0) ? 1 : 0
}

function isEntry(): boolean {
  if (typeof require === 'undefined' || typeof module === 'undefined') return false
  if (require.main === module) return true
  const f = require.main?.filename ?? ''
  return /[\\/]bin[\\/]datadetector(\.js)?$/.test(f)
}

if (isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (e) => {
      process.stderr.write(`datadetector: ${(e as Error).message}\n`)
      process.exitCode = 2
    },
  )
}
