import { CASE7, isAsciiAlnum, isAsciiLetter } from '../chars'
import { CORE_WASM } from './core.wasm'

/**
 * The scan core in WebAssembly (source: ./assembly/core.ts). It holds one text at a time, copied in
 * as UTF-16 code units (4 MB of text: ~0.6 ms) and read once by its basics pass, which writes a byte
 * per char that the other passes read (passes over a big text are bound by memory traffic).
 */
interface CoreExports {
  memory: WebAssembly.Memory
  TRIGRAMS: WebAssembly.Global
  SET: WebAssembly.Global
  TEXT: WebAssembly.Global
  LIT: WebAssembly.Global
  LIT_MAX: WebAssembly.Global
  KW: WebAssembly.Global
  KW_BYTES: WebAssembly.Global
  BLOCK_WORDS: WebAssembly.Global
  regionAt(len: number, kind: number): number
  grams(len: number): void
  runs(len: number, nonAscii: number, minLen: number, w0: number, w1: number): number
  carriedRun(): number
  carriedStart(): number
  resumeRun(length: number, start: number): void
  basics(len: number, w0: number, w1: number): void
  written(kind: number): number
  segments(len: number, runsAt: number, n: number, nf: number, out: number, stride: number): void
  lineCols(len: number, at: number, n: number, out: number): void
  count(f: number): number
  bucketize(segs: number, ints: number, out: number, groups: number): number
  FAMILIES: WebAssembly.Global
  MAX_FAMILIES: WebAssembly.Global
  literal(len: number, m: number, w0: number, w1: number): number
  keywords(len: number, from: number, to: number): number
  keywordStop(): number
}

/** A growing list of ints (runs found block by block). */
class Ints {
  private a = new Int32Array(256)
  private n = 0
  append(xs: Int32Array): void {
    if (this.n + xs.length > this.a.length) {
      const b = new Int32Array(Math.max(this.a.length * 2, this.n + xs.length))
      b.set(this.a.subarray(0, this.n))
      this.a = b
    }
    this.a.set(xs, this.n)
    this.n += xs.length
  }
  take(): Int32Array<ArrayBuffer> {
    return this.a.slice(0, this.n)
  }
}

/** The runs of the chars every big text needs, each as [start, end]*. */
export interface BasicRuns {
  digits: Int32Array<ArrayBuffer>
  /** Per digit run, its facts (see runFactsOf in scan.ts): letters before it, first digit, length. */
  digitFacts: Uint32Array<ArrayBuffer>
  nonAscii: Int32Array<ArrayBuffer>
}

let mod: WebAssembly.Module | undefined
let core: CoreExports | undefined
/** The text whose chars are in memory now, and its basic runs. */
let loaded: string | undefined
let loadedRuns: BasicRuns | undefined

/** A pass over a text's bytes that a scan asked for (see setRuns, literalStarts, keywordHits). */
export type BytePass = { set: Uint8Array; nonAscii: boolean; minLen: number } | { lit: string; ci: boolean } | { kw: KeywordTable }
/** The passes asked for since the text was loaded, and results computed ahead (see prefetchPasses), by passKey. */
let asked: BytePass[] = []
let ahead = new Map<string, Int32Array<ArrayBuffer>>()

function passKey(p: BytePass): string {
  if ('kw' in p) return `k${p.kw.id}`
  return 'lit' in p ? `l${p.ci ? 1 : 0}${p.lit}` : `r${p.nonAscii ? 1 : 0}${p.minLen},${p.set.join('')}`
}

/** Most bytes of segments one digitSegments() call writes (20 per digit run and family). */
const SEGMENT_BYTES = 16 << 20

/** Memory kept between scans: a 16 Mi-char text of prose needs ~28 MB; bigger ones give theirs back (see releaseScanCore). */
const RETAIN_BYTES = 40 << 20

function instance(): CoreExports {
  if (!core) {
    // synchronous compile: the module is small, and Node (like Electron's utility process) allows it
    mod ??= new WebAssembly.Module(Buffer.from(CORE_WASM, 'base64'))
    core = new WebAssembly.Instance(mod, {}).exports as unknown as CoreExports
    tableInCore = undefined
  }
  return core
}

/**
 * Ends a scan: forgets the loaded text (the next scan copies its text in, even the same one), and
 * drops the core's memory when it has grown past `maxBytes` (wasm memory never shrinks), so a worker
 * that once scanned a huge text does not keep its bytes. The engine calls it after each
 * scan; the next big text then starts a fresh instance.
 */
export function releaseScanCore(maxBytes = RETAIN_BYTES): void {
  loaded = undefined
  loadedRuns = undefined
  asked = []
  ahead = new Map()
  if (core && core.memory.buffer.byteLength > maxBytes) core = undefined
}

/** Bytes of memory the scan core holds now (0 when it has none). */
export function scanCoreBytes(): number {
  return core ? core.memory.buffer.byteLength : 0
}

/** Grows the core's memory (64 KiB pages) to hold `bytes`. */
function ensureMemory(c: CoreExports, bytes: number): void {
  const have = c.memory.buffer.byteLength
  if (bytes > have) c.memory.grow(Math.ceil((bytes - have) / 65536))
}

/** Copies the text into memory and runs the basics pass (unless it is there already). */
function load(text: string): CoreExports {
  const c = instance()
  if (loaded === text) return c
  const len = text.length
  // a block's staging area, the text's bytes and three output regions
  ensureMemory(c, c.regionAt(len, 3))
  asked = []
  ahead = new Map()
  const kinds = [new Ints(), new Ints(), new Ints()]
  const words = (len + 63) >> 6
  const block = c.BLOCK_WORDS.value as number
  const mem = Buffer.from(c.memory.buffer)
  const stage = c.TEXT.value as number
  for (let w = 0; w < words; w += block) {
    // each block's UTF-16 chars, read by basics() while they are in cache
    mem.write(text.substring(w << 6, Math.min(len, (w + block) << 6)), stage, 'utf16le')
    c.basics(len, w, Math.min(words, w + block))
    for (let k = 0; k < 2; k++) kinds[k].append(new Int32Array(c.memory.buffer, c.regionAt(len, k), 2 * c.written(k)))
    kinds[2].append(new Int32Array(c.memory.buffer, c.regionAt(len, 2), c.written(0)))
  }
  loaded = text
  const facts = kinds[2].take()
  loadedRuns = { digits: kinds[0].take(), nonAscii: kinds[1].take(), digitFacts: new Uint32Array(facts.buffer, facts.byteOffset, facts.length) }
  return c
}

/** Maximal runs of ASCII digits and of non-ASCII chars, found in one pass. */
export function basicRuns(text: string): BasicRuns {
  load(text)
  return loadedRuns as BasicRuns
}

/**
 * The trigram bitmap of the text (2^18 bytes, into `dest`): bit g for each trigram of 7-bit gram
 * codes, g = code(c0) << 14 | code(c1) << 7 | code(c2), the first two after zeros. A char's code is
 * the char when ASCII, else (c * 31 + 7) & 127, but 75 for KELVIN SIGN and 73 for 'İ'.
 */
export function trigramBitmap(text: string, dest: Uint8Array): void {
  const c = load(text)
  c.grams(text.length)
  dest.set(new Uint8Array(c.memory.buffer, c.TRIGRAMS.value as number, dest.length))
}

/**
 * Maximal runs of a charset at least minLen long: [start, end]*. `set` marks ASCII members by code
 * (128 entries); `nonAscii` makes every other char a member.
 */
export function setRuns(text: string, set: Uint8Array, nonAscii: boolean, minLen: number): Int32Array<ArrayBuffer> {
  return pass(text, { set, nonAscii, minLen })
}

/** A pass's result: computed ahead, or now (recorded in `asked` either way). */
function pass(text: string, p: BytePass): Int32Array<ArrayBuffer> {
  const c = load(text)
  const key = passKey(p)
  asked.push(p)
  const got = ahead.get(key)
  if (got) return got
  const out = new Ints()
  const words = (text.length + 63) >> 6
  const block = c.BLOCK_WORDS.value as number
  const step = stepper(c, text.length, p)
  for (let w = 0; w < words; w += block) step(w, Math.min(words, w + block), out)
  return out.take()
}

/**
 * One block's part of a pass: appends the ints it writes for words [w0, w1) to `out`, read out of
 * the core's memory before the next call. Calls for consecutive blocks; a runs pass keeps its own
 * carried run, so the steps of several passes may take turns.
 */
function stepper(c: CoreExports, len: number, p: BytePass): (w0: number, w1: number, out: Ints) => void {
  const region = () => c.regionAt(len, 0)
  if ('kw' in p) {
    return (w0, w1, out) => {
      writeKeywordTable(c, p.kw)
      const to = Math.min(w1 << 6, len)
      // a block of keyword soup may fill the output region: resume where it stopped
      for (let from = w0 << 6; from < to; from = c.keywordStop()) {
        out.append(new Int32Array(c.memory.buffer, region(), 2 * c.keywords(len, from, to)))
      }
    }
  }
  if ('lit' in p) {
    const { lit, ci } = p
    return (w0, w1, out) => {
      writeLiteral(c, lit, ci)
      out.append(new Int32Array(c.memory.buffer, region(), c.literal(len, lit.length, w0, w1)))
    }
  }
  let run = 0
  let start = 0
  return (w0, w1, out) => {
    writeTable(c, c.SET.value as number, p.set)
    c.resumeRun(run, start)
    const n = c.runs(len, p.nonAscii ? 1 : 0, Math.max(1, p.minLen), w0, w1)
    run = c.carriedRun()
    start = c.carriedStart()
    out.append(new Int32Array(c.memory.buffer, region(), 2 * n))
  }
}

/**
 * Computes passes ahead, block by block (each block's bytes stay in cache while every pass reads
 * them; one pass after another over a text of many megabytes reads it from memory each time). Later
 * setRuns/literalStarts/keywordHits calls with the same arguments get these results. For the passes a scan of
 * the same patterns asked for last time (see askedPasses).
 */
export function prefetchPasses(text: string, passes: BytePass[]): void {
  const c = load(text)
  const todo = new Map<string, BytePass>()
  for (const p of passes) {
    const key = passKey(p)
    if (!ahead.has(key) && !('lit' in p && !literalFits(c, p.lit))) todo.set(key, p)
  }
  if (todo.size === 0) return
  const keys = [...todo.keys()]
  const steps = [...todo.values()].map((p) => stepper(c, text.length, p))
  const outs = keys.map(() => new Ints())
  const words = (text.length + 63) >> 6
  const block = c.BLOCK_WORDS.value as number
  for (let w = 0; w < words; w += block) {
    const w1 = Math.min(words, w + block)
    for (let k = 0; k < steps.length; k++) steps[k](w, w1, outs[k])
  }
  for (let k = 0; k < keys.length; k++) ahead.set(keys[k], outs[k].take())
}

/** The passes asked for since the loaded text was loaded (distinct; for prefetchPasses next time). */
export function askedPasses(): BytePass[] {
  const seen = new Map<string, BytePass>()
  for (const p of asked) seen.set(passKey(p), p)
  return [...seen.values()]
}

/** Writes a charset's table (for runs() or segments()) at `at`: bit h of byte l for ASCII char 16h + l. */
function writeTable(c: CoreExports, at: number, set: Uint8Array): void {
  const table = new Uint8Array(c.memory.buffer, at, 16)
  table.fill(0)
  for (let ch = 0; ch < 128; ch++) if (set[ch]) table[ch & 15] |= 1 << (ch >> 4)
}

/**
 * The segments of each charset (ASCII; digits among them) around the text's digit runs (`runs`,
 * [start, end]*, all of them), all cut in one walk: for each set, each maximal run of its chars that
 * holds a digit, as [start, end, digits, runs, pure]* (pure = 1 when the segment is digits only), and
 * the same grouped by digits (scan.ts's Buckets, `groups` groups of multi-run segments) as
 * start[66], mstart[groups + 1], order, multi in one array.
 */
export function digitSegments(text: string, runs: Int32Array, sets: Uint8Array[], groups: number): Array<{ segments: Int32Array<ArrayBuffer>; buckets: Int32Array<ArrayBuffer> }> {
  const c = load(text)
  const n = runs.length >> 1
  // 20 bytes per digit run and family for the segments; their groups go through one area of as many
  // (and two group headers), copied out family by family
  const stride = 20 * n + 4 * (66 + groups + 1) * 2
  // at most MAX_FAMILIES a call, and segments of at most SEGMENT_BYTES (digit-dense texts: one a call)
  const max = Math.max(1, Math.min(c.MAX_FAMILIES.value as number, Math.floor(SEGMENT_BYTES / stride)))
  if (sets.length > max) return [...digitSegments(text, runs, sets.slice(0, max), groups), ...digitSegments(text, runs, sets.slice(max), groups)]
  const at = c.regionAt(text.length, 3)
  const out = at + 8 * n
  const bout = out + sets.length * stride
  ensureMemory(c, bout + stride)
  new Int32Array(c.memory.buffer, at, 2 * n).set(runs)
  sets.forEach((set, f) => writeTable(c, (c.FAMILIES.value as number) + 16 * f, set))
  c.segments(text.length, at, n, sets.length, out, stride)
  return sets.map((_, f) => {
    const ints = c.count(f)
    const b = c.bucketize(out + f * stride, ints, bout, groups)
    return { segments: new Int32Array(c.memory.buffer, out + f * stride, ints).slice(), buckets: new Int32Array(c.memory.buffer, bout, b).slice() }
  })
}

/**
 * Start offsets (sorted, overlapping ones too) of an ASCII literal in the text, in either case of
 * its letters when ci (as a case-insensitive, non-unicode RegExp matches); null for a literal the
 * scan core does not take (empty, non-ASCII, or longer than its LIT_MAX).
 */
export function literalStarts(text: string, lit: string, ci: boolean): Int32Array<ArrayBuffer> | null {
  if (!literalFits(load(text), lit)) return null
  return pass(text, { lit, ci })
}

function literalFits(c: CoreExports, lit: string): boolean {
  return lit.length > 0 && lit.length <= (c.LIT_MAX.value as number) && !/[\u0080-\uffff]/.test(lit)
}

/** Writes a literal and its fold masks at LIT for literal(). */
function writeLiteral(c: CoreExports, lit: string, ci: boolean): void {
  const max = c.LIT_MAX.value as number
  const bytes = new Uint8Array(c.memory.buffer, c.LIT.value as number, 2 * max)
  for (let k = 0; k < lit.length; k++) {
    const ch = lit.charCodeAt(k)
    const letter = ci && ((ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122))
    bytes[k] = letter ? ch | 0x20 : ch
    bytes[max + k] = letter ? 0x20 : 0
  }
}

/**
 * A keyword list laid out for the scan core's keywords() pass (see keywordTable); `verify[id]` is
 * set for keywords with a non-ASCII char, whose hits the caller must compare itself (the core sees
 * such a char as a 7-bit code, or as any non-ASCII char where its cases have different codes).
 */
export interface KeywordTable {
  id: number
  image: Uint8Array
  keywords: string[]
  verify: boolean[]
}

let tables = 0
let tableInCore: KeywordTable | undefined

function writeKeywordTable(c: CoreExports, t: KeywordTable): void {
  if (tableInCore === t) return
  new Uint8Array(c.memory.buffer, c.KW.value as number, t.image.length).set(t.image)
  tableInCore = t
}

/** Canonical form of a UTF-16 code unit under a case-insensitive non-unicode RegExp (ECMAScript Canonicalize). */
function canonicalize(x: number): number {
  const u = String.fromCharCode(x).toUpperCase()
  if (u.length !== 1) return x
  const cu = u.charCodeAt(0)
  return x >= 128 && cu < 128 ? x : cu
}

let canon: Uint16Array | undefined
/** The code units whose canonical form differs from them, by that form. */
let folded: Map<number, number[]> | undefined

/** The code units a case-insensitive (non-unicode) RegExp takes for `ch`. */
function caseClass(ch: number): number[] {
  if (!canon || !folded) {
    canon = new Uint16Array(65536)
    folded = new Map()
    for (let x = 0; x < 65536; x++) {
      const k = (canon[x] = canonicalize(x))
      if (k === x) continue
      const list = folded.get(k)
      if (list) list.push(x)
      else folded.set(k, [x])
    }
  }
  const k = canon[ch]
  return canon[k] === k ? [k, ...(folded.get(k) ?? [])] : (folded.get(k) ?? [ch])
}

/** The byte basics() writes for a code unit (see core.ts byteOf). */
const byteOfChar = (x: number) => (x < 128 ? x : 0x80 | CASE7[x])

/** keywords()'s class of a byte (core.ts): an ASCII letter or digit folded, any other ASCII char 0, a non-ASCII one 0x80. */
const clsByte = (b: number) => (b >= 128 ? 0x80 : isAsciiAlnum(b) ? b | 0x20 : 0)
const ANY_ASCII = Array.from({ length: 128 }, (_, c) => c)
/** Every class CLS gives: 0, the ASCII digits and lower-case letters, 0x80. */
const ANY_CLASS = [0, 0x80, ...Array.from({ length: 10 }, (_, d) => 48 + d), ...Array.from({ length: 26 }, (_, l) => 97 + l)]
// table layout (offsets from KW; must agree with core.ts)
const BITS_A = 1024
const BITS_N = BITS_A + 65536
const HEAD_A = BITS_N + 4096
const HEAD_N = HEAD_A + 4 * 65537

/** keywordTable's per-keyword options: no word edge needed after it; before it, only no letter (a digit may come). */
export const OPEN_END = 1
export const LETTER_EDGE = 2

/**
 * Lays out keywords (lower-case, as a case-insensitive non-unicode RegExp matches them) for the
 * scan core's keywords() pass; null when they do not fit its table (the caller then searches by
 * RegExp). `options[id]`: OPEN_END and/or LETTER_EDGE (default: word edges on both sides);
 * `follow[id]`: the ASCII chars that may come right after an OPEN_END keyword where it matters
 * (a sharper lookup for keywords shorter than 4 chars; null: any).
 */
export function keywordTable(keywords: string[], options?: ArrayLike<number>, follow?: (Uint8Array | null)[]): KeywordTable | null {
  if (keywords.length === 0 || keywords.length > 8192 || keywords.some((k) => k.length < 2 || k.length > 255)) return null
  // bucket -> keyword ids, for keywords starting with an ASCII char (A) and the others (N)
  const bucketsA = new Map<number, Set<number>>()
  const bucketsN = new Map<number, Set<number>>()
  const bitsA = new Uint8Array(65536)
  const bitsN = new Uint8Array(4096)
  const first = new Uint8Array(16)
  let nonAsciiFirst = false
  const verify: boolean[] = []
  const masks: number[][] = []
  const add = (buckets: Map<number, Set<number>>, b: number, id: number) => {
    let s = buckets.get(b)
    if (!s) buckets.set(b, (s = new Set()))
    s.add(id)
  }
  for (let id = 0; id < keywords.length; id++) {
    const k = keywords[id]
    const bytes: number[][] = []
    const mv: number[] = []
    let inexact = false
    for (let j = 0; j < k.length; j++) {
      const ch = k.charCodeAt(j)
      const set = [...new Set(caseClass(ch).map(byteOfChar))]
      bytes.push(set)
      if (ch < 128) mv.push(isAsciiLetter(ch) ? 0x20 : 0, isAsciiLetter(ch) ? ch | 0x20 : ch)
      else {
        // a non-ASCII char's byte stands for 1/128th of them: the caller decides such hits
        inexact = true
        if (set.length === 1) mv.push(0, set[0])
        else mv.push(0x7f, 0xff)
      }
    }
    verify.push(inexact)
    masks.push(mv)
    const c0 = k.charCodeAt(0)
    if (c0 >= 128) {
      nonAsciiFirst = true
      for (const b0 of bytes[0]) {
        for (const b1 of bytes[1]) {
          const h = Math.imul((b1 << 8) | b0, 0x9e3779b1) >>> 17
          bitsN[h >> 3] |= 1 << (h & 7)
          add(bucketsN, h, id)
        }
      }
      continue
    }
    for (const b of bytes[0]) first[b & 15] |= 1 << (b >> 4)
    // the classes the 3rd and 4th byte may have: the keyword's, or past its end a word edge (when
    // it ends in a letter or digit) and then anything
    const lastAlnum = isAsciiAlnum(k.charCodeAt(k.length - 1)) && !((options?.[id] ?? 0) & OPEN_END)
    const after = follow?.[id]
    const classes = (j: number) =>
      j < k.length
        ? [...new Set(bytes[j].map(clsByte))]
        : j === k.length && lastAlnum
          ? [0, 0x80]
          : j === k.length && after
            ? [...new Set(ANY_ASCII.filter((c) => after[c]).map(clsByte))]
            : ANY_CLASS
    for (const b1 of bytes[1]) {
      for (const c2 of classes(2)) {
        for (const c3 of classes(3)) {
          const h = Math.imul(clsByte(c0) | (clsByte(b1) << 8) | (c2 << 16) | (c3 << 24), 0x9e3779b1) >>> 14
          bitsA[h >> 3] |= 1 << (h & 7)
          add(bucketsA, h >> 2, id)
        }
      }
    }
  }
  let entries = 0
  for (const s of [...bucketsA.values(), ...bucketsN.values()]) entries += s.size
  // entries of 32 bytes by bucket (see core.ts keywords()), then each long keyword's bytes past its 8th
  const entriesAt = (HEAD_N + 4 * 32769 + 31) & ~31
  const tailsAt = entriesAt + 32 * entries
  const tailOf: number[] = []
  let size = tailsAt
  for (const mv of masks) {
    tailOf.push(size)
    size += Math.max(0, mv.length - 16)
  }
  if (size > (instance().KW_BYTES.value as number)) return null
  const image = new Uint8Array(size)
  const dv = new DataView(image.buffer)
  dv.setUint32(0, entriesAt, true)
  const letterEdges = options !== undefined && Array.from(options).some((o) => (o & LETTER_EDGE) !== 0)
  dv.setUint32(12, (nonAsciiFirst ? 1 : 0) | (letterEdges ? 2 : 0), true)
  image.set(first, 16)
  image.set(bitsA, BITS_A)
  image.set(bitsN, BITS_N)
  let e = 0
  const lay = (buckets: Map<number, Set<number>>, heads: number, count: number) => {
    for (let h = 0; h < count; h++) {
      dv.setUint32(heads + 4 * h, e, true)
      for (const id of buckets.get(h) ?? []) {
        const at = entriesAt + 32 * e++
        const mv = masks[id]
        const k = keywords[id]
        // the first 8 bytes' masks and values (a byte past the keyword's end takes anything)
        for (let j = 0; j < 8; j++) {
          image[at + j] = j < k.length ? mv[2 * j] : 0xff
          image[at + 8 + j] = j < k.length ? mv[2 * j + 1] : 0xff
        }
        dv.setUint32(at + 16, id, true)
        dv.setUint32(at + 20, tailOf[id], true)
        dv.setUint16(at + 24, k.length, true)
        const o = options?.[id] ?? 0
        image[at + 26] = (isAsciiAlnum(k.charCodeAt(k.length - 1)) && !(o & OPEN_END) ? 1 : 0) | (o & LETTER_EDGE)
      }
    }
    dv.setUint32(heads + 4 * count, e, true)
  }
  lay(bucketsA, HEAD_A, 65536)
  lay(bucketsN, HEAD_N, 32768)
  for (let id = 0; id < keywords.length; id++) if (masks[id].length > 16) image.set(masks[id].slice(16), tailOf[id])
  return { id: ++tables, image, keywords, verify }
}

/**
 * Where the table's keywords occur in the text: [position, keyword id]*, by position (several
 * keywords may start at one). Case-insensitive; a keyword whose first (last) char is an ASCII letter
 * or digit only where the char before (after) is not one. Hits of `verify` keywords may be false.
 */
export function keywordHits(text: string, table: KeywordTable): Int32Array<ArrayBuffer> {
  return pass(text, { kw: table })
}

/**
 * Line and column (from 1) of each offset (ascending) of the text, as [line, column]*: its newlines
 * counted in the scan core's bytes of it (so while it is loaded, the cheapest; see LineIndex).
 */
export function lineColumns(text: string, offsets: Int32Array): Int32Array<ArrayBuffer> {
  const c = load(text)
  const n = offsets.length
  const at = c.regionAt(text.length, 3)
  ensureMemory(c, at + 12 * n)
  new Int32Array(c.memory.buffer, at, n).set(offsets)
  c.lineCols(text.length, at, n, at + 4 * n)
  return new Int32Array(c.memory.buffer, at + 4 * n, 2 * n).slice()
}
