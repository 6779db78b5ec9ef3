import type { CompiledPattern } from './compiled'
import { runVerifier, keywordNear, VerdictMemo } from './compiled'
import { hashValue, loadOrCreateSecret, maskValue, Tokenizer, type TokenVault } from './redact'
import type { PatternRegistry } from './registry'
import { finishPending, firstAtLeast, GRAM_MIN, scanText, TextIndex, type Candidate, type Pending } from './scan'
import { lineColumns, releaseScanCore } from './wasm'
import type {
  Category,
  FindOptions,
  Match,
  RedactionReport,
  RedactionStrategy,
  RedactOptions,
  RedactResult,
  Replacement,
  ValidateResult,
} from './types'
import { CATEGORIES, DetectorError } from './types'

export interface EngineOptions {
  /** Secret for the hash strategy. Default: the per-install secret file (created on first use). */
  hashKey?: Buffer | string
  /** Where the per-install secret lives (default: see defaultSecretPath()). */
  secretPath?: string
}

/** Default characters per streaming step (see StreamOptions.chunkSize). */
const DEFAULT_CHUNK = 1 << 20

export interface StreamOptions {
  /**
   * Characters processed per step (default 1 Mi). Each step pays fixed costs (literal gates, gram
   * tables, family cuts), so bigger steps are faster: on 1 GiB of prose through the built CLI, 64 Ki
   * gave 19–21 MB/s at 123–144 MB peak RSS, 1 Mi 27.8 MB/s at 155 MB (target < 200 MB).
   */
  chunkSize?: number
  /** Characters carried over between steps (default: derived from the selected patterns, 256..8192). */
  overlap?: number
}

export type StreamSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>

export interface RedactStreamOptions extends RedactOptions, StreamOptions {
  vault?: TokenVault
}

/**
 * Offset → line/column. A big text's candidate offsets are looked up in one sweep of the scan core
 * over its bytes while it is loaded (16 MB of prose: ~300,000 newlines need not be listed); any
 * other offset, and small texts, by the text index's line starts.
 */
class LineIndex {
  private starts: Int32Array | undefined
  private offsets: Int32Array | undefined
  private lineCols: Int32Array | undefined
  constructor(
    private readonly idx: TextIndex,
    text: string,
    cands: Candidate[],
  ) {
    if (text.length < GRAM_MIN || cands.length === 0) return
    const all = new Int32Array(2 * cands.length)
    cands.forEach((c, i) => {
      all[2 * i] = c.start
      all[2 * i + 1] = c.end
    })
    all.sort()
    this.offsets = all
    this.lineCols = lineColumns(text, all)
  }
  pos(offset: number): { line: number; column: number } {
    const o = this.offsets
    if (o) {
      const i = firstAtLeast(o, offset)
      if (i < o.length && o[i] === offset) return { line: (this.lineCols as Int32Array)[2 * i], column: (this.lineCols as Int32Array)[2 * i + 1] }
    }
    const s = (this.starts ??= this.idx.lineStarts())
    // the last line start at or before the offset (s[0] = 0)
    const line = firstAtLeast(s, offset + 1) - 1
    return { line: line + 1, column: offset - s[line] + 1 }
  }
}

/** Priority order: verified first, then longer, then higher severity, then earlier pattern id, then earlier start. */
export function comparePriority(a: Candidate, b: Candidate): number {
  if (a.verified !== b.verified) return a.verified ? -1 : 1
  return compareSpan(a, b)
}

/** Longer, then more severe, then pattern id, then earlier: the priority among equally verified spans. */
function compareSpan(a: Pick<Candidate, 'start' | 'end' | 'p'>, b: Pick<Candidate, 'start' | 'end' | 'p'>): number {
  const la = a.end - a.start
  const lb = b.end - b.start
  if (la !== lb) return lb - la
  if (a.p.severityRank !== b.p.severityRank) return b.p.severityRank - a.p.severityRank
  if (a.p.fullId !== b.p.fullId) return a.p.fullId < b.p.fullId ? -1 : 1
  return a.start - b.start
}

/**
 * Kept [start, end) intervals, by the 256-char buckets they touch: `free` tells whether a new one
 * overlaps none (one or two small lists to look at; a sorted array with insertions cost O(n) each,
 * 3 ms for 16 MB of prose with ~8,000 matches).
 */
class KeptSpans {
  private readonly buckets = new Map<number, number[]>()
  free(start: number, end: number): boolean {
    for (let b = start >> 8; b <= (end - 1) >> 8; b++) {
      const list = this.buckets.get(b)
      if (!list) continue
      for (let i = 0; i < list.length; i += 2) if (list[i] < end && list[i + 1] > start) return false
    }
    return true
  }
  insert(start: number, end: number): void {
    for (let b = start >> 8; b <= (end - 1) >> 8; b++) {
      const list = this.buckets.get(b)
      if (list) list.push(start, end)
      else this.buckets.set(b, [start, end])
    }
  }
}

/** Keep a non-overlapping subset of candidates, chosen greedily by priority; result sorted by start. */
export function resolveOverlaps(cands: Candidate[]): Candidate[] {
  if (cands.length <= 1) return cands.slice()
  const sorted = cands.slice().sort(comparePriority)
  const kept: Candidate[] = []
  const spans = new KeptSpans()
  for (const c of sorted) {
    if (!spans.free(c.start, c.end)) continue
    spans.insert(c.start, c.end)
    kept.push(c)
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end)
}

/** Candidates from which verdicts are memoised (a few values in a short text rarely repeat). */
const MEMO_MIN = 64

/**
 * `resolveOverlaps` over the verified candidates, verifying lazily: candidates are taken in priority
 * order (as if all verified) and one that overlaps a kept candidate is skipped unverified, since it
 * would lose to that verified, higher-priority candidate anyway. Same result as verifying all first.
 */
function resolvePending(pending: Pending[], text: string): Candidate[] {
  if (pending.length === 0) return []
  if (pending.length === 1) {
    const c = finishPending(pending[0], text)
    return c ? [c] : []
  }
  pending.sort(compareSpan)
  const kept: Candidate[] = []
  const spans = new KeptSpans()
  const memo = pending.length >= MEMO_MIN ? new VerdictMemo() : undefined
  for (const pc of pending) {
    if (!spans.free(pc.start, pc.end)) continue
    const c = finishPending(pc, text, memo)
    if (!c) continue
    spans.insert(c.start, c.end)
    kept.push(c)
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end)
}

interface Selection {
  patterns: CompiledPattern[]
}

export class Engine {
  private readonly selMemo = new Map<string, Selection>()
  private plainSel: Selection | undefined
  private plainSize = -1
  private hashKeyBuf: Buffer | undefined

  constructor(
    readonly registry: PatternRegistry,
    private readonly options: EngineOptions = {},
  ) {}

  private select(o: { namespaces?: string[]; categories?: Category[]; patternIds?: string[]; includeIgnored?: boolean }): Selection {
    // the common call (no filters) skips building the memo key (a JSON string per find call)
    const plain = !o.namespaces && !o.categories && !o.patternIds && !o.includeIgnored
    if (plain && this.plainSel !== undefined && this.plainSize === this.registry.size) return this.plainSel
    const key = JSON.stringify([o.namespaces ?? null, o.categories ?? null, o.patternIds ?? null, !!o.includeIgnored, this.registry.size])
    let sel = this.selMemo.get(key)
    if (sel && plain) {
      this.plainSel = sel
      this.plainSize = this.registry.size
    }
    if (sel) return sel
    if (o.namespaces) {
      const known = new Set(this.registry.namespaces())
      for (const ns of o.namespaces) if (!known.has(ns)) throw new DetectorError('UNKNOWN_NAMESPACE', `unknown namespace "${ns}"`)
    }
    if (o.categories) {
      for (const c of o.categories) if (!(CATEGORIES as readonly string[]).includes(c)) throw new DetectorError('UNKNOWN_CATEGORY', `unknown category "${c}"`)
    }
    if (o.patternIds) {
      for (const id of o.patternIds) if (!this.registry.has(id)) throw new DetectorError('UNKNOWN_PATTERN', `unknown pattern "${id}"`)
    }
    const patterns = this.registry
      .list()
      .filter((p) => !o.namespaces || o.namespaces.includes(p.namespace))
      .filter((p) => !o.categories || o.categories.includes(p.category))
      .filter((p) => !o.patternIds || o.patternIds.includes(p.fullId))
      .filter((p) => o.includeIgnored || p.action !== 'ignore')
    sel = { patterns }
    this.selMemo.set(key, sel)
    return sel
  }

  /** A text's candidates, and its offset → line/column index (from the same TextIndex). */
  private candidates(text: string, opts: FindOptions): { cands: Candidate[]; lines: LineIndex } {
    const idx = new TextIndex(text)
    try {
      const cands = this.scan(text, opts, idx)
      return { cands, lines: new LineIndex(idx, text, cands) }
    } finally {
      releaseScanCore()
    }
  }

  private scan(text: string, opts: FindOptions, idx: TextIndex): Candidate[] {
    const sel = this.select(opts)
    if (!opts.allowOverlaps && !opts.includeUnverified) {
      // Verification (e.g. libphonenumber for every region whose phone regex hits the same digits)
      // is the costly step: verify lazily in priority order and skip candidates already covered.
      const pending: Pending[] = []
      scanText(text, sel.patterns, (n) => this.registry.getVerifier(n), false, idx, pending)
      return resolvePending(pending, text)
    }
    const cands = scanText(text, sel.patterns, (n) => this.registry.getVerifier(n), !!opts.includeUnverified, idx)
    if (!opts.allowOverlaps) return resolveOverlaps(cands)
    // equal spans in selection order, whatever order the scan found them in
    const rank = new Map(sel.patterns.map((p, i) => [p, i]))
    return cands.sort((a, b) => a.start - b.start || a.end - b.end || (rank.get(a.p) as number) - (rank.get(b.p) as number))
  }

  private toMatch(c: Candidate, text: string, lines: LineIndex, includeText: boolean): Match {
    const a = lines.pos(c.start)
    const b = lines.pos(c.end)
    const m: Match = {
      patternId: c.p.fullId,
      namespace: c.p.namespace,
      category: c.p.category,
      severity: c.p.severity,
      action: c.p.action,
      start: c.start,
      end: c.end,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      verified: c.verified,
      confidence: c.confidence,
    }
    if (includeText && c.p.storeRaw) m.matchedText = text.slice(c.start, c.end)
    return m
  }

  /** Find sensitive data in `text`. */
  find(text: string, opts: FindOptions = {}): Match[] {
    const { cands, lines } = this.candidates(text, opts)
    return cands.map((c) => this.toMatch(c, text, lines, !!opts.includeMatchedText))
  }

  /** Whether the whole `text` is a valid instance of the pattern (regex + verification). */
  validate(text: string, patternId: string): ValidateResult {
    const p = this.registry.get(patternId)
    if (!p) throw new DetectorError('UNKNOWN_PATTERN', `unknown pattern "${patternId}"`)
    const matched = p.whole.test(text)
    if (!matched) return { valid: false, matched: false, verified: false, confidence: 0, patternId }
    const fn = p.verification ? this.registry.getVerifier(p.verification) : undefined
    const v = runVerifier(fn, text)
    return { valid: v.valid, matched: true, verified: v.valid, confidence: v.valid ? v.confidence : Math.min(v.confidence, 0.2), patternId }
  }

  private hashKey(): Buffer {
    if (!this.hashKeyBuf) {
      const k = this.options.hashKey
      if (k !== undefined) this.hashKeyBuf = typeof k === 'string' ? Buffer.from(k, 'utf8') : k
      else this.hashKeyBuf = loadOrCreateSecret(this.options.secretPath)
      if (this.hashKeyBuf.length < 16) throw new DetectorError('BAD_SECRET', 'hash secret must be at least 16 bytes')
    }
    return this.hashKeyBuf
  }

  private strategyFor(c: Candidate, opts: RedactOptions): RedactionStrategy {
    return opts.perCategory?.[c.p.category] ?? opts.strategy ?? 'mask'
  }

  private replacementFor(c: Candidate, value: string, strategy: RedactionStrategy, tok: Tokenizer): string {
    switch (strategy) {
      case 'hash':
        return hashValue(this.hashKey(), value, c.p.category)
      case 'tokenize':
        return tok.token(value, c.p.category)
      case 'mask':
        return maskValue(value, c.p.category, c.p.def.mask)
      default:
        throw new DetectorError('BAD_STRATEGY', `unknown redaction strategy "${String(strategy)}"`)
    }
  }

  private checkStrategies(opts: RedactOptions): void {
    const ok = ['mask', 'hash', 'tokenize']
    if (opts.strategy && !ok.includes(opts.strategy)) throw new DetectorError('BAD_STRATEGY', `unknown redaction strategy "${opts.strategy}"`)
    for (const s of Object.values(opts.perCategory ?? {})) if (s && !ok.includes(s)) throw new DetectorError('BAD_STRATEGY', `unknown redaction strategy "${s}"`)
  }

  /**
   * Redact `text`. Patterns whose action is "redact" are replaced (and "report" ones too when
   * `redactReported`); the report lists replacements without any raw value.
   */
  redact(text: string, opts: RedactOptions & { vault?: TokenVault; tokenizer?: Tokenizer } = {}): RedactResult {
    this.checkStrategies(opts)
    const { cands, lines } = this.candidates(text, { namespaces: opts.namespaces, categories: opts.categories, patternIds: opts.patternIds })
    const tok = opts.tokenizer ?? new Tokenizer(opts.vault)
    const report = newReport()
    const parts: string[] = []
    let cursor = 0
    let outLen = 0
    for (const c of cands) {
      if (!shouldRedact(c, opts)) continue
      const strategy = this.strategyFor(c, opts)
      const rep = this.replacementFor(c, text.slice(c.start, c.end), strategy, tok)
      const before = text.slice(cursor, c.start)
      parts.push(before, rep)
      outLen += before.length
      const pos = lines.pos(c.start)
      addReplacement(report, {
        patternId: c.p.fullId,
        category: c.p.category,
        severity: c.p.severity,
        strategy,
        start: c.start,
        end: c.end,
        line: pos.line,
        column: pos.column,
        outStart: outLen,
        outEnd: outLen + rep.length,
        replacement: rep,
        verified: c.verified,
      })
      outLen += rep.length
      cursor = c.end
    }
    parts.push(text.slice(cursor))
    return { text: parts.join(''), report }
  }

  private overlapFor(patterns: CompiledPattern[], requested?: number): number {
    if (requested !== undefined) return Math.max(16, requested)
    let o = 256
    for (const p of patterns) {
      const ml = p.info && Number.isFinite(p.info.maxLen) ? p.info.maxLen : 8192
      const kw = p.keywords.length > 0 ? p.window * 2 : 0
      o = Math.max(o, ml + kw + 2 * p.ctx)
    }
    return Math.min(o, 8192)
  }

  /**
   * Find matches in a stream far larger than memory. The source is decoded as UTF-8 (invalid UTF-8
   * is an error with code INVALID_UTF8). Offsets are global UTF-16 offsets.
   */
  async *findStream(source: StreamSource, opts: FindOptions & StreamOptions = {}): AsyncGenerator<Match> {
    const overlap = this.overlapFor(this.select(opts).patterns, opts.overlap)
    const chunkSize = Math.max(opts.chunkSize ?? DEFAULT_CHUNK, overlap * 2)
    const cur = new StreamCursor()
    let emittedEnd = 0
    const step = (final: boolean): Match[] => {
      const buf = cur.buf
      const { cands, lines } = this.candidates(buf, opts)
      const safe = final ? buf.length : buf.length - overlap
      const out: Match[] = []
      for (const c of cands) {
        if (!final && c.end > safe) continue
        if (cur.base + c.start < emittedEnd) continue
        const m = this.toMatch(c, buf, lines, !!opts.includeMatchedText)
        cur.globalize(m)
        emittedEnd = m.end
        out.push(m)
      }
      if (!final) cur.drop(Math.max(0, safe - overlap))
      return out
    }
    for await (const piece of decodeStream(source)) {
      cur.append(piece)
      if (cur.buf.length >= chunkSize + overlap) yield* step(false)
    }
    yield* step(true)
  }

  /** Redact a stream; redacted text is written through `write` in order; returns the report. */
  async redactStreamTo(source: StreamSource, write: (chunk: string) => void | Promise<void>, opts: RedactStreamOptions = {}): Promise<RedactionReport> {
    this.checkStrategies(opts)
    const sel = this.select({ namespaces: opts.namespaces, categories: opts.categories, patternIds: opts.patternIds })
    const overlap = this.overlapFor(sel.patterns, opts.overlap)
    const chunkSize = Math.max(opts.chunkSize ?? DEFAULT_CHUNK, overlap * 2)
    const cur = new StreamCursor()
    const tok = new Tokenizer(opts.vault)
    const report = newReport()
    let outPos = 0 // global offset of input already written
    let outLen = 0
    const step = async (final: boolean) => {
      const buf = cur.buf
      const { cands, lines } = this.candidates(buf, { namespaces: opts.namespaces, categories: opts.categories, patternIds: opts.patternIds })
      let cut = final ? buf.length : buf.length - overlap
      for (const c of cands) if (c.start < cut && c.end > cut && shouldRedact(c, opts)) cut = Math.min(cut, c.start)
      const parts: string[] = []
      let cursor = outPos - cur.base
      for (const c of cands) {
        if (!shouldRedact(c, opts)) continue
        if (c.end <= cursor || c.start >= cut) continue
        // A match reaching back into text already written (resolution changed): redact the rest, fail closed.
        const s = Math.max(c.start, cursor)
        const strategy = this.strategyFor(c, opts)
        const value = buf.slice(s, c.end)
        const rep = s === c.start ? this.replacementFor(c, value, strategy, tok) : maskValue(value, c.p.category)
        const before = buf.slice(cursor, s)
        parts.push(before, rep)
        outLen += before.length
        const pos = lines.pos(s)
        const g = cur.globalPos(pos, s)
        addReplacement(report, {
          patternId: c.p.fullId,
          category: c.p.category,
          severity: c.p.severity,
          strategy: s === c.start ? strategy : 'mask',
          start: g.offset,
          end: cur.base + c.end,
          line: g.line,
          column: g.column,
          outStart: outLen,
          outEnd: outLen + rep.length,
          replacement: rep,
          verified: c.verified,
        })
        outLen += rep.length
        cursor = c.end
      }
      if (cursor < cut) {
        const rest = buf.slice(cursor, cut)
        parts.push(rest)
        outLen += rest.length
        cursor = cut
      }
      outPos = cur.base + cursor
      const chunk = parts.join('')
      if (chunk) await write(chunk)
      if (!final) cur.drop(Math.max(0, Math.min(cursor, buf.length - overlap) - overlap))
    }
    for await (const piece of decodeStream(source)) {
      cur.append(piece)
      if (cur.buf.length >= chunkSize + overlap) await step(false)
    }
    await step(true)
    return report
  }

  /** Async-generator form of redactStreamTo: yields redacted text; the generator's return value is the report. */
  async *redactStream(source: StreamSource, opts: RedactStreamOptions = {}): AsyncGenerator<string, RedactionReport> {
    const queue: string[] = []
    let done = false
    let error: unknown
    let report: RedactionReport | undefined
    let wake: (() => void) | undefined
    const p = this.redactStreamTo(
      source,
      async (chunk) => {
        queue.push(chunk)
        wake?.()
      },
      opts,
    ).then(
      (r) => {
        report = r
        done = true
        wake?.()
      },
      (e) => {
        error = e
        done = true
        wake?.()
      },
    )
    for (;;) {
      while (queue.length > 0) yield queue.shift() as string
      if (done) break
      await new Promise<void>((r) => (wake = r))
      wake = undefined
    }
    await p
    if (error) throw error
    return report as RedactionReport
  }
}

function shouldRedact(c: Candidate, opts: RedactOptions): boolean {
  return c.p.action === 'redact' || (c.p.action === 'report' && opts.redactReported === true)
}

function newReport(): RedactionReport {
  return { replacements: [], counts: {}, total: 0 }
}

function addReplacement(r: RedactionReport, rep: Replacement): void {
  r.replacements.push(rep)
  r.counts[rep.category] = (r.counts[rep.category] ?? 0) + 1
  r.total++
}

/** The sliding buffer of a stream with the bookkeeping to turn buffer positions into global ones. */
class StreamCursor {
  buf = ''
  base = 0
  /** Line number (1-based) of buf[0] and how many chars of that line precede buf[0]. */
  private line = 1
  private col0 = 0

  append(s: string): void {
    this.buf += s
  }

  drop(n: number): void {
    if (n <= 0) return
    const gone = this.buf.slice(0, n)
    let count = 0
    let last = -1
    let i = -1
    while ((i = gone.indexOf('\n', i + 1)) !== -1) {
      count++
      last = i
    }
    if (count > 0) {
      this.line += count
      this.col0 = n - last - 1
    } else this.col0 += n
    this.buf = this.buf.slice(n)
    this.base += n
  }

  globalPos(p: { line: number; column: number }, offset: number): { line: number; column: number; offset: number } {
    return { line: this.line + p.line - 1, column: p.line === 1 ? p.column + this.col0 : p.column, offset: this.base + offset }
  }

  globalize(m: Match): void {
    const a = this.globalPos({ line: m.line, column: m.column }, m.start)
    const b = this.globalPos({ line: m.endLine, column: m.endColumn }, m.end)
    m.start = a.offset
    m.line = a.line
    m.column = a.column
    m.end = b.offset
    m.endLine = b.line
    m.endColumn = b.column
  }
}

/** Decode a byte/string stream as UTF-8, failing with INVALID_UTF8 on malformed input. */
export async function* decodeStream(source: StreamSource): AsyncGenerator<string> {
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  let offset = 0
  for await (const piece of source as AsyncIterable<string | Uint8Array>) {
    if (typeof piece === 'string') {
      yield piece
      continue
    }
    let s: string
    try {
      s = dec.decode(piece, { stream: true })
    } catch {
      throw new DetectorError('INVALID_UTF8', `invalid UTF-8 near byte ${offset}`)
    }
    offset += piece.length
    if (s) yield s
  }
  let tail: string
  try {
    tail = dec.decode()
  } catch {
    throw new DetectorError('INVALID_UTF8', `invalid UTF-8 at end of input (byte ${offset})`)
  }
  if (tail) yield tail
}

export { keywordNear }
