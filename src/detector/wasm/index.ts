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
  BLOCK_WORDS: WebAssembly.Global
  regionAt(len: number, kind: number): number
  grams(len: number): void
  runs(len: number, nonAscii: number, minLen: number, w0: number, w1: number): number
  carriedRun(): number
  carriedStart(): number
  resumeRun(length: number, start: number): void
  basics(len: number, w0: number, w1: number): void
  written(kind: number): number
  segments(len: number, runsAt: number, n: number, out: number): number
  literal(len: number, m: number, w0: number, w1: number): number
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
  newlines: Int32Array<ArrayBuffer>
}

let mod: WebAssembly.Module | undefined
let core: CoreExports | undefined
/** The text whose chars are in memory now, and its basic runs. */
let loaded: string | undefined
let loadedRuns: BasicRuns | undefined

/** A pass over a text's bytes that a scan asked for (see setRuns, literalStarts). */
export type BytePass = { set: Uint8Array; nonAscii: boolean; minLen: number } | { lit: string; ci: boolean }
/** The passes asked for since the text was loaded, and results computed ahead (see prefetchPasses), by passKey. */
let asked: BytePass[] = []
let ahead = new Map<string, Int32Array<ArrayBuffer>>()

function passKey(p: BytePass): string {
  return 'lit' in p ? `l${p.ci ? 1 : 0}${p.lit}` : `r${p.nonAscii ? 1 : 0}${p.minLen},${p.set.join('')}`
}

/** Memory kept between scans: a 16 Mi-char text needs ~55 MB; bigger ones give theirs back (see releaseScanCore). */
const RETAIN_BYTES = 64 << 20

function instance(): CoreExports {
  if (!core) {
    // synchronous compile: the module is small, and Node (like Electron's utility process) allows it
    mod ??= new WebAssembly.Module(Buffer.from(CORE_WASM, 'base64'))
    core = new WebAssembly.Instance(mod, {}).exports as unknown as CoreExports
  }
  return core
}

/**
 * Ends a scan: forgets the loaded text (the next scan copies its text in, even the same one), and
 * drops the core's memory when it has grown past `maxBytes` (wasm memory never shrinks), so a worker
 * that once scanned a huge text does not keep ~3 bytes a char of it. The engine calls it after each
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
  // the text, its bytes and four output regions
  ensureMemory(c, c.regionAt(len, 4))
  Buffer.from(c.memory.buffer).write(text, c.TEXT.value as number, 'utf16le')
  asked = []
  ahead = new Map()
  const kinds = [new Ints(), new Ints(), new Ints(), new Ints()]
  const words = (len + 63) >> 6
  const block = c.BLOCK_WORDS.value as number
  for (let w = 0; w < words; w += block) {
    c.basics(len, w, Math.min(words, w + block))
    for (let k = 0; k < 3; k++) kinds[k].append(new Int32Array(c.memory.buffer, c.regionAt(len, k), 2 * c.written(k)))
    kinds[3].append(new Int32Array(c.memory.buffer, c.regionAt(len, 3), c.written(0)))
  }
  loaded = text
  const facts = kinds[3].take()
  loadedRuns = { digits: kinds[0].take(), nonAscii: kinds[1].take(), newlines: kinds[2].take(), digitFacts: new Uint32Array(facts.buffer, facts.byteOffset, facts.length) }
  return c
}

/** Maximal runs of ASCII digits, of non-ASCII chars and of newlines, found in one pass. */
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
  for (let w = 0; w < words; w += block) out.append(step(w, Math.min(words, w + block)))
  return out.take()
}

/**
 * One block's part of a pass: the ints it writes for words [w0, w1), read out of the core's memory
 * before the next call. Calls for consecutive blocks; a runs pass keeps its own carried run, so the
 * steps of several passes may take turns.
 */
function stepper(c: CoreExports, len: number, p: BytePass): (w0: number, w1: number) => Int32Array {
  if ('lit' in p) {
    const { lit, ci } = p
    return (w0, w1) => {
      writeLiteral(c, lit, ci)
      return new Int32Array(c.memory.buffer, c.regionAt(len, 0), c.literal(len, lit.length, w0, w1))
    }
  }
  let run = 0
  let start = 0
  return (w0, w1) => {
    setTable(c, p.set)
    c.resumeRun(run, start)
    const n = c.runs(len, p.nonAscii ? 1 : 0, Math.max(1, p.minLen), w0, w1)
    run = c.carriedRun()
    start = c.carriedStart()
    return new Int32Array(c.memory.buffer, c.regionAt(len, 0), 2 * n)
  }
}

/**
 * Computes passes ahead, block by block (each block's bytes stay in cache while every pass reads
 * them; one pass after another over a text of many megabytes reads it from memory each time). Later
 * setRuns/literalStarts calls with the same arguments get these results. For the passes a scan of
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
    for (let k = 0; k < steps.length; k++) outs[k].append(steps[k](w, w1))
  }
  for (let k = 0; k < keys.length; k++) ahead.set(keys[k], outs[k].take())
}

/** The passes asked for since the loaded text was loaded (distinct; for prefetchPasses next time). */
export function askedPasses(): BytePass[] {
  const seen = new Map<string, BytePass>()
  for (const p of asked) seen.set(passKey(p), p)
  return [...seen.values()]
}

/** Writes a charset's table for runs() and segments(): bit h of byte l for ASCII char 16h + l. */
function setTable(c: CoreExports, set: Uint8Array): void {
  const table = new Uint8Array(c.memory.buffer, c.SET.value as number, 16)
  table.fill(0)
  for (let ch = 0; ch < 128; ch++) if (set[ch]) table[ch & 15] |= 1 << (ch >> 4)
}

/**
 * The segments of a charset around the text's digit runs (`runs`, [start, end]*, all of them):
 * each maximal run of the set's chars (ASCII; digits among them) that holds a digit, as
 * [start, end, digits, runs, pure]* (pure = 1 when the segment is digits only).
 */
export function digitSegments(text: string, runs: Int32Array, set: Uint8Array): Int32Array<ArrayBuffer> {
  const c = load(text)
  const n = runs.length >> 1
  const at = c.regionAt(text.length, 4)
  const out = at + 8 * n
  ensureMemory(c, out + 20 * n)
  new Int32Array(c.memory.buffer, at, 2 * n).set(runs)
  setTable(c, set)
  const k = c.segments(text.length, at, n, out)
  return new Int32Array(c.memory.buffer, out, k).slice()
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
