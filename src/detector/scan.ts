/**
 * The scanning core: runs a set of compiled patterns over one string, using cheap prefilters
 * (required literals, required keywords, digit-run segments) before the expensive regexes.
 */
import { FAMILY_SETS, LONG_RUN, MAX_WINDOW_LEN, RUN_FAMILY_SETS, keywordNear, keywordNearRe, runPairs, runVerifier, VerdictMemo, type CompiledPattern } from './compiled'
import type { Verifier } from './types'
import { CASE7, FOLD7, isAsciiAlnum } from './chars'
import type { RegexInfo } from './analyze'
import { LETTER_EDGE, OPEN_END, askedPasses, basicRuns, digitSegments, keywordHits, keywordTable, literalStarts, prefetchPasses, setRuns, trigramBitmap, type BasicRuns, type BytePass, type KeywordTable } from './wasm'

export interface Candidate {
  p: CompiledPattern
  start: number
  end: number
  verified: boolean
  confidence: number
}

const EMPTY = new Int32Array(0)
const EMPTY_BYTES = new Uint8Array(0)
/** charPositions' memo for a class too frequent to anchor on. */
const TOO_MANY: number[] = []
const DIGIT_RUN = /[0-9]+/g
const NON_ASCII = /[\u0080-\uffff]/
const NON_ASCII_RUN = /[\u0080-\uffff]+/g

// Shared bigram presence tables stamped with a per-text id, so no table is allocated or cleared per text.
const BIGRAM_EXACT = new Uint32Array(128 * 128)
const BIGRAM_FOLDED = new Uint32Array(128 * 128)
/** Hashed case-folded trigrams (14-bit slots), stamped like the bigram tables: for small texts. */
const TRIGRAM_STAMPS = new Uint32Array(1 << 14)
let textIds = 0

// Shared trigram presence bitmap (7 bits per char, case kept: CASE7) for big texts: one pass per text
// decides most literal gates without a search per literal. Non-ASCII chars are hashed into 7 bits,
// so a bit may be shared (a false "maybe", never a false "absent").
const TRIGRAMS = new Uint8Array(1 << 18)
const TRIGRAM_WORDS = new Uint32Array(TRIGRAMS.buffer)
/** Texts at least this long decide literal gates by the gram bitmaps alone (no search per literal). */
export const GRAM_MIN = 16384

/**
 * Maximal runs of a charset (ASCII bitmap, plus every non-ASCII char when nonAscii) that are at
 * least minLen long: [start, end]*. A skip loop: `start` always follows a non-member, so the char
 * minLen - 1 further on is examined and the scan steps back over members; a non-member found there
 * moves `start` past it, so prose costs a few reads per minLen chars.
 */
function longRuns(text: string, set: Uint8Array, nonAscii: boolean, minLen: number): Int32Array {
  if (text.length >= GRAM_MIN) return setRuns(text, set, nonAscii, minLen)
  const len = text.length
  const high = nonAscii ? 1 : 0
  const buf: number[] = []
  let start = 0
  while (start + minLen <= len) {
    let k = start + minLen - 1
    for (; k >= start; k--) {
      const c = text.charCodeAt(k)
      if ((c < 128 ? set[c] : high) === 0) break
    }
    if (k >= start) {
      start = k + 1
      continue
    }
    let e = start + minLen
    for (; e < len; e++) {
      const c = text.charCodeAt(e)
      if ((c < 128 ? set[c] : high) === 0) break
    }
    buf.push(start, e)
    start = e + 1
  }
  return buf.length ? Int32Array.from(buf) : EMPTY
}

/** Run families made of ASCII letters and digits only (1), by index. */
const ALNUM_RUN_FAMILY = Uint8Array.from(RUN_FAMILY_SETS, (set) => {
  for (let c = 0; c < 128; c++) if (set[c] && !isAsciiAlnum(c)) return 0
  return 1
})

/** The run family holding every other one (all printable ASCII but space). */
const WIDE = RUN_FAMILY_SETS.length - 1
/** Family runs at least this long are found inside the wide family's runs of this length. */
const WIDE_MIN = 24

/** Whether an ASCII charset lies within the wide family (so its long runs lie within the wide ones). */
function subsetOfWide(set: Uint8Array): boolean {
  const wide = RUN_FAMILY_SETS[WIDE]
  for (let c = 0; c < 128; c++) if (set[c] && !wide[c]) return false
  return true
}

/** Maximal runs of an ASCII charset, ≥ minLen long, inside the given [start, end]* ranges (each bounded by non-members). */
function runsWithin(text: string, ranges: Int32Array, set: Uint8Array, minLen: number): Int32Array {
  const buf: number[] = []
  for (let k = 0; k < ranges.length; k += 2) {
    const end = ranges[k + 1]
    let i = ranges[k]
    while (i < end) {
      while (i < end && !set[text.charCodeAt(i)]) i++
      const st = i
      while (i < end && set[text.charCodeAt(i)]) i++
      if (i - st >= minLen) buf.push(st, i)
    }
  }
  return buf.length ? Int32Array.from(buf) : EMPTY
}

/** The grams a literal's presence in a big text is judged by: for each, the codes of its spellings. */
interface GramSig {
  /** Two-char literals: the bigram's spellings (14 bits each); else empty. */
  bi: number[]
  /** Per trigram of the literal, its spellings (21 bits, as the gram pass computes them). */
  tri: number[][]
}

const sigMemo = new Map<string, GramSig>()

/** Computed once per literal (not per text: a stream's every chunk asks again). */
function gramSig(lit: string, ci: boolean): GramSig {
  const key = (ci ? 'i:' : 's:') + lit
  let sig = sigMemo.get(key)
  if (sig) return sig
  sig = { bi: [], tri: [] }
  // per char, the codes it may have in the text: both cases of an ASCII letter when ci
  const opts: number[][] = []
  let lastCased = -1
  for (let i = 0; i < lit.length; i++) {
    const c = lit.charCodeAt(i)
    // case-insensitively, a cased non-ASCII char may stand in the text in another case, which
    // hashes to other bits: grams containing one give no verdict
    if (ci && c >= 128 && (c === 0x307 || isCased(c))) lastCased = i
    const lower = c >= 65 && c <= 90 ? c + 32 : c
    opts.push(ci && lower >= 97 && lower <= 122 ? [lower, lower - 32] : [CASE7[c]])
    if (i === 1 && lit.length === 2 && lastCased < 0) sig.bi = spellings(opts, 0, 2)
    if (i >= 2 && i - lastCased > 2) sig.tri.push(spellings(opts, i - 2, 3))
  }
  sigMemo.set(key, sig)
  return sig
}

/** Every spelling of the n-gram (n ≤ 3) at opts[from .. from + n), as the gram pass codes it (7 bits a char). */
function spellings(opts: number[][], from: number, n: number): number[] {
  let acc = [0]
  for (let k = from; k < from + n; k++) acc = acc.flatMap((g) => opts[k].map((c) => (g << 7) | c))
  return acc
}

function anyBit(xs: number[], test: (x: number) => boolean): boolean {
  for (let i = 0; i < xs.length; i++) if (test(xs[i])) return true
  return false
}

/** Whether the trigram (21 bits, as the gram pass codes it) is set in TRIGRAMS. */
function trigramSeen(g: number): boolean {
  return (TRIGRAMS[g >> 3] & (1 << (g & 7))) !== 0
}

/** Whether the bigram (14 bits) ends some trigram of the text (the first chars' grams have zeros in front). */
function bigramMay(g2: number): boolean {
  for (let x = 0; x < 128; x++) if (trigramSeen((x << 14) | g2)) return true
  return false
}

/**
 * Fills TRIGRAMS for a text, by the scan core (a bigram is present iff it ends some trigram); returns
 * which ASCII chars occur (over-approximated). Trigrams only: 5-grams cut a few false "maybe"s of
 * multi-word keywords but cost a third of the pass (7 ms per 4 MB, when it ran in JS).
 */
function gramPass(text: string): Uint8Array<ArrayBuffer> {
  trigramBitmap(text, TRIGRAMS)
  // Every char ends a trigram (the first two after zeros), so the chars that occur are the low 7 bits
  // of the set trigrams: OR the bitmap's words by their position mod 4 (bit b of word w is trigram
  // 32w + b, whose low 7 bits are 32 (w mod 4) + b), instead of a store per char in the pass.
  // Non-ASCII chars mark their 7-bit gram code: an over-approximation.
  // (The word view assumes a little-endian machine, as every Electron target is.)
  const words = TRIGRAM_WORDS
  const acc = [0, 0, 0, 0]
  for (let w = 0; w < words.length; w++) acc[w & 3] |= words[w]
  const present = new Uint8Array(128)
  for (let x = 0; x < 128; x++) present[x] = (acc[x >> 5] >>> (x & 31)) & 1
  return present
}

let trigramOwner = 0
/** Ints per TextIndex slab (see TextIndex.ints). */
const SLAB_INTS = 1024
let indexIds = 0

const casedMemo = new Map<number, boolean>()
function isCased(c: number): boolean {
  let v = casedMemo.get(c)
  if (v === undefined) {
    const ch = String.fromCharCode(c)
    v = ch.toLowerCase() !== ch.toUpperCase()
    casedMemo.set(c, v)
  }
  return v
}

/** Groups of multi-run segments by digit count: 0..MULTI_GROUPS - 2, and one for all above. */
const MULTI_GROUPS = 130

/**
 * Entries start[l] .. start[l + 1] of `order` are the single-run segments whose run has l digits, as
 * [start, end, run] (digits only when end - start = l); entries mstart[d] .. mstart[d + 1] of `multi`
 * the other segments with d digits (the last group: more), as [start, end, digits, first run, runs].
 * Runs are indexes into TextIndex.digitRuns(). Each group is in text order. Copied out of the segment
 * list so that scans walk memory in order (big texts' lists exceed caches).
 */
export interface Buckets {
  start: Int32Array
  order: Int32Array
  mstart: Int32Array
  multi: Int32Array
  /**
   * For scans piece by piece (see scanText): cuts[k] holds, for each single group and then each
   * multi group, the index of its first entry that starts at or after piece k (k = 0..pieces).
   */
  cuts: Int32Array[] | undefined
}

/** Buckets laid out by the scan core (see digitSegments): start[66], mstart, order, multi in one array. */
function bucketsOf(b: Int32Array): Buckets {
  const start = b.subarray(0, 66)
  const mstart = b.subarray(66, 67 + MULTI_GROUPS)
  const order = b.subarray(67 + MULTI_GROUPS, 67 + MULTI_GROUPS + 3 * start[65])
  return { start, order, mstart, multi: b.subarray(67 + MULTI_GROUPS + 3 * start[65]), cuts: undefined }
}

/** Buckets of a family's segments ([start, end, digits, runs, pure]*), `groups` groups of multi-run ones (small texts; big ones: the scan core's). */
export function bucketize(segs: Int32Array, groups = MULTI_GROUPS): Buckets {
  const start = new Int32Array(66)
  const mstart = new Int32Array(groups + 1)
  for (let k = 0; k < segs.length; k += 5) {
    if (segs[k + 3] === 1 && segs[k + 2] <= 64) start[segs[k + 2] + 1]++
    else mstart[Math.min(segs[k + 2], groups - 1) + 1]++
  }
  for (let l = 1; l < start.length; l++) start[l] += start[l - 1]
  for (let d = 1; d < mstart.length; d++) mstart[d] += mstart[d - 1]
  const order = new Int32Array(start[65] * 3)
  const multi = new Int32Array(mstart[groups] * 5)
  const fill = start.slice()
  const mfill = mstart.slice()
  // r: index of the segment's first digit run (segments hold consecutive runs, in order)
  for (let k = 0, r = 0; k < segs.length; r += segs[k + 3], k += 5) {
    if (segs[k + 3] === 1 && segs[k + 2] <= 64) {
      const o = fill[segs[k + 2]]++ * 3
      order[o] = segs[k]
      order[o + 1] = segs[k + 1]
      order[o + 2] = r
    } else {
      const o = mfill[Math.min(segs[k + 2], groups - 1)]++ * 5
      multi[o] = segs[k]
      multi[o + 1] = segs[k + 1]
      multi[o + 2] = segs[k + 2]
      multi[o + 3] = r
      multi[o + 4] = segs[k + 3]
    }
  }
  return { start, order, mstart, multi, cuts: undefined }
}

/** Fills b.cuts for pieces of pieceLen chars (see Buckets.cuts). */
function cutBuckets(b: Buckets, pieces: number, pieceLen: number): Int32Array[] {
  const cuts: Int32Array[] = []
  for (let k = 0; k <= pieces; k++) cuts.push(new Int32Array(66 + MULTI_GROUPS))
  const groups = (offsets: Int32Array, entries: Int32Array, stride: number, base: number) => {
    for (let g = 0; g + 1 < offsets.length; g++) {
      let j = offsets[g]
      for (let k = 0; k <= pieces; k++) {
        const at = k === pieces ? Infinity : k * pieceLen
        while (j < offsets[g + 1] && entries[j * stride] < at) j++
        cuts[k][base + g] = j
      }
    }
  }
  groups(b.start, b.order, 3, 0)
  groups(b.mstart, b.multi, 5, 66)
  return (b.cuts = cuts)
}

function grown(buf: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const nb = new Int32Array(buf.length * 2)
  nb.set(buf)
  return nb
}

/**
 * Maximal runs of the chars with codes in [lo, hi] ([start, end]*, into buf, grown as needed), by
 * `re` (global, matching such runs): test() allocates no match array, and each run's start is found
 * by stepping back from its end.
 */
function regexRuns(text: string, re: RegExp, lo: number, hi: number, buf: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  let n = 0
  re.lastIndex = 0
  while (re.test(text)) {
    const e = re.lastIndex
    let st = e - 1
    while (st > 0 && text.charCodeAt(st - 1) >= lo && text.charCodeAt(st - 1) <= hi) st--
    if (n === buf.length) buf = grown(buf)
    buf[n++] = st
    buf[n++] = e
  }
  return buf.subarray(0, n)
}

/**
 * A family's segments around the digit runs r ([start, end]*): writes [start, end, digits, runs,
 * pure]* into buf (room for one per run) and returns the ints written. A function of its own, so
 * that its long loop is all V8 optimises on the stack: an on-stack-replaced method whose code after
 * the loop had never run deoptimised there on every big text (0.25-10 ms each).
 */
function cutSegments(text: string, r: Int32Array, set: Uint8Array, buf: Int32Array): number {
  const len = text.length
  let n = 0
  let i = 0
  while (i < r.length) {
    let st = r[i]
    while (st > 0) {
      const c = text.charCodeAt(st - 1)
      if (c >= 128 || !set[c]) break
      st--
    }
    let e = r[i + 1]
    let digits = e - r[i]
    let runs = 1
    i += 2
    while (e < len) {
      const c = text.charCodeAt(e)
      if (c >= 128 || !set[c]) break
      e++
    }
    while (i < r.length && r[i] < e) {
      digits += r[i + 1] - r[i]
      runs++
      i += 2
    }
    buf[n] = st
    buf[n + 1] = e
    buf[n + 2] = digits
    buf[n + 3] = runs
    buf[n + 4] = digits === e - st ? 1 : 0
    n += 5
  }
  return n
}

/**
 * Facts about each digit run ([start, end]*), a u32 each: bits 0-7 the ASCII letters 1..4 chars
 * before it (bit d - 1 for an upper-case one at distance d, bit 3 + d for a lower-case one: see
 * leadMask in compiled.ts), bits 8-11 its first digit, bits 12-16 its length (31 for 31 or more).
 * Big texts get them from the scan core's basics pass, which must agree.
 */
export function runFactsOf(text: string, runs: Int32Array): Uint32Array {
  const out = new Uint32Array(runs.length >> 1)
  for (let i = 0; i < out.length; i++) {
    const st = runs[2 * i]
    let f = 0
    for (let d = 1; d <= 4 && d <= st; d++) {
      const c = text.charCodeAt(st - d)
      if (c >= 65 && c <= 90) f |= 1 << (d - 1)
      else if (c >= 97 && c <= 122) f |= 1 << (3 + d)
    }
    out[i] = f | ((text.charCodeAt(st) - 48) << 8) | (Math.min(runs[2 * i + 1] - st, 31) << 12)
  }
  return out
}

/** Chars per piece of a big text's piecewise scan (see scanText); texts of two pieces or more go so. */
const PIECE = 1 << 22

/** Lazily computed facts about one text, shared by all patterns scanning it. */
export class TextIndex {
  private lowerText: string | undefined
  private _litMemo: Map<string, boolean> | undefined
  // created on first use: most small texts never need most of these
  private get litMemo(): Map<string, boolean> {
    return (this._litMemo ??= new Map())
  }
  private _segMemo: Map<number, Int32Array> | undefined
  private get segMemo(): Map<number, Int32Array> {
    return (this._segMemo ??= new Map())
  }
  private _clusterMemo: Map<number, Int32Array> | undefined
  private get clusterMemo(): Map<number, Int32Array> {
    return (this._clusterMemo ??= new Map())
  }

  private readonly uid = ++indexIds
  /** Per run family, the lowest probing threshold the selected patterns need (set by scanText). */
  famShared: number[] | undefined

  /** `pieceLen`: chars per piece of a piecewise scan (see scanText; tests make it small). */
  constructor(
    readonly text: string,
    readonly pieceLen = PIECE,
  ) {}

  /** Pieces the segment scans of this text go by (see scanText): 1 below two pieces' length. */
  get pieces(): number {
    return this.text.length >= 2 * this.pieceLen ? Math.ceil(this.text.length / this.pieceLen) : 1
  }

  private slab: Int32Array<ArrayBuffer> | undefined
  private slabTop = 0

  /**
   * A zeroed Int32Array of n, carved from this index's slab when small: creating an off-heap typed
   * array (over 64 bytes) costs ~0.7 µs, a view ~0.04, and a 1 KB text used to create ~16 of them.
   */
  private ints(n: number): Int32Array<ArrayBuffer> {
    if (n <= 16 || n > SLAB_INTS >> 2) return new Int32Array(n)
    let slab = this.slab
    if (slab === undefined || this.slabTop + n > slab.length) {
      slab = this.slab = new Int32Array(SLAB_INTS)
      this.slabTop = 0
    }
    const view = slab.subarray(this.slabTop, this.slabTop + n)
    this.slabTop += n
    return view
  }

  lower(): string {
    if (this.lowerText === undefined) this.lowerText = this.text.toLowerCase()
    return this.lowerText
  }

  private bigramId = 0

  /** Marks the adjacent ASCII character pairs of the text in the shared tables (exact and case-folded). */
  private bigramTable(): number {
    if (!this.bigramId) this.smallPass()
    return this.bigramId
  }

  /**
   * Stamps the text's bigrams (exact and case-folded) and hashed folded trigrams in the shared
   * tables. Branch-free on purpose: a per-char branch costs more than the table writes. Pairs with
   * a non-ASCII char land in some slot too, which only turns an "absent" into a "maybe".
   */
  private smallPass(): void {
    let id = ++textIds
    if (id >= 0x3fffffff) {
      BIGRAM_EXACT.fill(0)
      BIGRAM_FOLDED.fill(0)
      TRIGRAM_STAMPS.fill(0)
      textIds = id = 1
    }
    const text = this.text
    const len = text.length
    // locals, not module bindings, in hot loops (measured ~25 % faster)
    const fold = FOLD7
    const tri = TRIGRAM_STAMPS
    const folded = BIGRAM_FOLDED
    const exact = BIGRAM_EXACT
    let g = 0
    let prev = 0
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i)
      g = ((g << 7) | fold[c]) & 0x1fffff
      tri[Math.imul(g, 0x9e3779b1) >>> 18] = id
      folded[g & 0x3fff] = id
      exact[((prev << 7) | c) & 0x3fff] = id
      prev = c
    }
    this.bigramId = id
  }

  /** False when some ASCII pair of the literal never occurs in the text (so the literal cannot). */
  private mayContain(lit: string, ci: boolean): boolean {
    if (lit.length < 2 || this.text.length < 256) return true
    const id = this.bigramTable()
    const table = ci ? BIGRAM_FOLDED : BIGRAM_EXACT
    // case-insensitive literals are already lower-cased by the analyser
    for (let i = 1; i < lit.length; i++) {
      let a = lit.charCodeAt(i - 1)
      let b = lit.charCodeAt(i)
      if (ci) {
        if (a >= 65 && a <= 90) a += 32
        if (b >= 65 && b <= 90) b += 32
      }
      if (a < 128 && b < 128 && table[a * 128 + b] !== id) return false
    }
    // then the hashed, case-folded trigrams (as in trigramMay)
    let g = 0
    let lastCased = -1
    for (let i = 0; i < lit.length; i++) {
      const c = lit.charCodeAt(i)
      if (ci && c >= 128 && (c === 0x307 || isCased(c))) lastCased = i
      g = ((g << 7) | FOLD7[c]) & 0x1fffff
      if (i >= 2 && i - lastCased > 2 && TRIGRAM_STAMPS[Math.imul(g, 0x9e3779b1) >>> 18] !== id) return false
    }
    return true
  }

  private canon: Int8Array | undefined

  /**
   * The first segment family that has the same members among the ASCII chars occurring in this
   * text (then both cut the text into the same segments, so they are computed once). Big texts only.
   */
  private canonFamily(family: number): number {
    if (this.text.length < GRAM_MIN) return family
    if (!this.canon) {
      this.trigrams()
      const canon = new Int8Array(FAMILY_SETS.length)
      const keys: string[] = []
      for (let f = 0; f < FAMILY_SETS.length; f++) {
        let key = ''
        for (let c = 0; c < 128; c++) if (FAMILY_SETS[f][c] && this.asciiPresent[c]) key += String.fromCharCode(c)
        const same = keys.indexOf(key)
        canon[f] = same >= 0 ? same : f
        keys.push(key)
      }
      this.canon = canon
    }
    return this.canon[family]
  }

  /** Which ASCII chars occur in the text (filled by the gram pass). */
  private asciiPresent = EMPTY_BYTES

  /** Fills the shared gram bitmaps for this text (if another text owns it). */
  private trigrams(): void {
    if (trigramOwner === this.uid) return
    this.asciiPresent = gramPass(this.text)
    trigramOwner = this.uid
  }

  /**
   * False when some 2- or 3-gram of the literal (in any case when ci) never occurs in the text; true means
   * "may occur" (grams of different places, or hash collisions, can pass).
   */
  private trigramMay(lit: string, ci: boolean): boolean {
    if (lit.length < 2) return true
    this.trigrams()
    const sig = gramSig(lit, ci)
    if (sig.bi.length > 0 && !anyBit(sig.bi, bigramMay)) return false
    for (const alts of sig.tri) if (!anyBit(alts, trigramSeen)) return false
    return true
  }

  /** Whether the literal may occur in the text (never false when it does; big texts may say true when it does not). */
  has(lit: string, ci: boolean): boolean {
    if (this.text.length < 4096) {
      // small texts: a direct search is cheaper than memoisation (after the bigram test)
      if (!this.mayContain(lit, ci)) return false
      if (!ci) return this.text.includes(lit)
      return this.lower().includes(lit)
    }
    const key = (ci ? 'i:' : 's:') + lit
    let v = this.litMemo.get(key)
    if (v === undefined) {
      // Big texts: the gram bitmaps (one pass per text) decide; a rare false "may occur" only
      // costs the pattern's own (windowed) scan, which finds nothing. This is a gate, not a search.
      if (this.text.length >= GRAM_MIN && lit.length >= 2) v = this.trigramMay(lit, ci)
      else if (this.text.length < GRAM_MIN && !this.mayContain(lit, ci)) v = false
      if (v !== undefined) this.litMemo.set(key, v)
    }
    if (v === undefined) {
      if (!ci || !/[A-Za-z\u0080-\uffff]/.test(lit)) v = this.text.includes(lit)
      else v = this.lower().includes(lit) // one lower-cased copy beats a case-insensitive regex pass per literal
      this.litMemo.set(key, v)
    }
    return v
  }

  private _runMemo: Map<string, Int32Array> | undefined
  private get runMemo(): Map<string, Int32Array> {
    return (this._runMemo ??= new Map())
  }
  private _litPos: Map<string, number[]> | undefined
  private get litPos(): Map<string, number[]> {
    return (this._litPos ??= new Map())
  }

  /** Start offsets (sorted) where any of the literals starts (case-insensitively when ci): one regex pass. */
  anyLiteralPositions(lits: string[], ci: boolean): number[] {
    const present = lits.filter((l) => this.has(l, ci))
    if (present.length === 0) return []
    const key = (ci ? 'i:' : 's:') + present.join('\u0000')
    let out = this.litPos.get(key)
    if (out) return out
    out = []
    const src = present.slice().sort((a, b) => b.length - a.length).map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
    const re = new RegExp(src, ci ? 'gi' : 'g')
    let m: RegExpExecArray | null
    while ((m = re.exec(this.text)) !== null) {
      out.push(m.index)
      re.lastIndex = m.index + 1
    }
    this.litPos.set(key, out)
    return out
  }

  /** Start offsets of a literal (case-insensitively when ci). */
  literalPositions(lit: string, ci: boolean): number[] {
    const key = (ci ? 'i:' : 's:') + lit
    let out = this.litPos.get(key)
    if (out) return out
    out = []
    if (!this.has(lit, ci)) {
      this.litPos.set(key, out)
      return out
    }
    const text = this.text
    // big texts: the scan core compares 16 offsets a step over its byte copy (ASCII literals)
    const starts = text.length >= GRAM_MIN ? literalStarts(text, lit, ci) : null
    if (starts) out = Array.from(starts)
    else if (!ci || !/[A-Za-z]/.test(lit)) {
      let i = text.indexOf(lit)
      while (i !== -1) {
        out.push(i)
        i = text.indexOf(lit, i + 1)
      }
    } else {
      const re = new RegExp(lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi')
      let m: RegExpExecArray | null
      while ((m = re.exec(text)) !== null) {
        out.push(m.index)
        re.lastIndex = m.index + 1
      }
    }
    this.litPos.set(key, out)
    return out
  }

  /**
   * Sorted positions of the chars of a class (`\x3a\x3d`: indexOf per char; else one regex pass), or
   * null when there are more than one in 128 chars.
   */
  charPositions(cls: string): number[] | null {
    const key = 'c:' + cls
    let out = this.litPos.get(key)
    if (out) return out === TOO_MANY ? null : out
    out = []
    const text = this.text
    // more than one in 128 chars (JSON, logs): give up early, windows would cost more than they save
    const cap = (text.length >> 7) + 16
    const chars = seedChars(cls)
    if (chars) {
      for (const ch of chars) for (let i = text.indexOf(ch); i !== -1 && out.length <= cap; i = text.indexOf(ch, i + 1)) out.push(i)
      if (chars.length > 1) out.sort((a, b) => a - b)
    } else {
      const re = cachedRegex(`[${cls}]`)
      while (out.length <= cap && re.test(text)) out.push(re.lastIndex - 1)
    }
    if (out.length > cap) {
      this.litPos.set(key, TOO_MANY)
      return null
    }
    this.litPos.set(key, out)
    return out
  }

  /** Maximal runs of `charset` around occurrences of any of the literals: [start, end]*, sorted, distinct. */
  literalRuns(lits: string[], ci: boolean, charset: Uint8Array, nonAscii: boolean): number[] {
    const text = this.text
    const len = text.length
    const seeds: number[] = []
    for (const l of lits) for (const i of this.literalPositions(l, ci)) seeds.push(i)
    seeds.sort((a, b) => a - b)
    const out: number[] = []
    let lastEnd = -1
    for (const i of seeds) {
      if (i < lastEnd) continue
      let s = i
      while (s > 0) {
        const c = text.charCodeAt(s - 1)
        if (c >= 128 ? !nonAscii : !charset[c]) break
        s--
      }
      let e = i
      while (e < len) {
        const c = text.charCodeAt(e)
        if (c >= 128 ? !nonAscii : !charset[c]) break
        e++
      }
      if (e <= s) continue
      out.push(s, e)
      lastEnd = e
    }
    return out
  }
  private _famRunMemo: Map<number, Int32Array> | undefined
  private get famRunMemo(): Map<number, Int32Array> {
    return (this._famRunMemo ??= new Map())
  }

  /**
   * Runs of a space-free family that are at least `threshold` (≥ LONG_RUN) chars long: [start, end]*,
   * found by the skip loop of longRuns.
   */
  familyRuns(family: number, threshold: number = LONG_RUN, shared?: number): Int32Array {
    const key = family * 1000 + threshold
    let out = this.famRunMemo.get(key)
    if (out) return out
    if (shared !== undefined && shared < threshold) {
      // maximal runs do not depend on the threshold: filter the runs found for the lowest
      // threshold any selected pattern needs, instead of probing the text again
      const base = this.familyRuns(family, shared)
      const buf: number[] = []
      for (let k = 0; k < base.length; k += 2) if (base[k + 1] - base[k] >= threshold) buf.push(base[k], base[k + 1])
      out = buf.length ? Int32Array.from(buf) : EMPTY
      this.famRunMemo.set(key, out)
      return out
    }
    if (family === WIDE && threshold === WIDE_MIN) out = longRuns(this.text, RUN_FAMILY_SETS[WIDE], false, WIDE_MIN)
    else out = this.longAsciiRuns(RUN_FAMILY_SETS[family], threshold)
    this.famRunMemo.set(key, out)
    return out
  }

  /**
   * Maximal runs (≥ minLen) of an ASCII charset. Long runs of a space-free charset lie inside long
   * runs of the wide family (every printable ASCII char), which are rare in prose: one skip loop for
   * the wide family, then short walks inside its runs. (Where long tokens are common, e.g. CSV rows,
   * a skip loop per charset is cheaper.)
   */
  private longAsciiRuns(charset: Uint8Array, minLen: number): Int32Array {
    if (minLen >= WIDE_MIN && !this.dense() && subsetOfWide(charset)) {
      const wide = this.familyRuns(WIDE, WIDE_MIN)
      if (this.wideSparse(wide)) return runsWithin(this.text, wide, charset, minLen)
    }
    return longRuns(this.text, charset, false, minLen)
  }

  private wideCover = -1

  /** Whether the wide family's long runs cover under an eighth of the text. */
  private wideSparse(wide: Int32Array): boolean {
    if (this.wideCover < 0) {
      let n = 0
      for (let k = 0; k < wide.length; k += 2) n += wide[k + 1] - wide[k]
      this.wideCover = n
    }
    return this.wideCover * 8 < this.text.length
  }

  /**
   * Maximal runs of `charset` chars that are ≥ minLen long and (when seedClass is given) contain a
   * seed char: [start, end]*.
   */
  charRuns(key: string, seedClass: string | null, runClass: string, charset: Uint8Array, nonAscii: boolean, minLen: number): Int32Array {
    let out = this.runMemo.get(key)
    if (out) return out
    const text = this.text
    const len = text.length
    const buf: number[] = []
    let m: RegExpExecArray | null
    if (seedClass === null && minLen >= 2) {
      // same maximal runs as the regex [runClass]{minLen,}, found by the skip loop
      out = longRuns(text, charset, nonAscii, minLen)
      this.runMemo.set(key, out)
      return out
    }
    if (seedClass !== null && minLen >= SKIP_SEEDED && !nonAscii) {
      // Long runs are rarer than seed chars like '.' or '-' in prose: find the runs, keep those with a seed.
      const seed = seedSet(seedClass)
      const runs = this.longAsciiRuns(charset, minLen)
      for (let k = 0; k < runs.length; k += 2) {
        let i = runs[k]
        while (i < runs[k + 1] && !seed[text.charCodeAt(i)]) i++
        if (i < runs[k + 1]) buf.push(runs[k], runs[k + 1])
      }
      out = Int32Array.from(buf)
      this.runMemo.set(key, out)
      return out
    }
    if (seedClass === null) {
      const re = cachedRegex(`[${runClass}]{${minLen},}`)
      while ((m = re.exec(text)) !== null) buf.push(m.index, m.index + m[0].length)
    } else {
      // A few seed chars: indexOf jumps to each ~10× faster than a regex scan of a two-byte text.
      const chars = seedChars(seedClass)
      const re = chars ? null : cachedRegex(`[${seedClass}]`)
      const next = chars ? chars.map((c) => text.indexOf(c)) : []
      let from = 0
      for (;;) {
        let i = -1
        if (re) {
          re.lastIndex = from
          if ((m = re.exec(text)) !== null) i = m.index
        } else {
          for (let k = 0; k < next.length; k++) {
            if (next[k] >= 0 && next[k] < from) next[k] = text.indexOf((chars as string[])[k], from)
            if (next[k] >= 0 && (i < 0 || next[k] < i)) i = next[k]
          }
        }
        if (i < 0) break
        let s = i
        while (s > 0) {
          const c = text.charCodeAt(s - 1)
          if (c >= 128 ? !nonAscii : !charset[c]) break
          s--
        }
        let e = i + 1
        while (e < len) {
          const c = text.charCodeAt(e)
          if (c >= 128 ? !nonAscii : !charset[c]) break
          e++
        }
        if (e - s >= minLen) buf.push(s, e)
        from = e
      }
    }
    out = Int32Array.from(buf)
    this.runMemo.set(key, out)
    return out
  }

  private basicMemo: BasicRuns | undefined

  /** Big texts: the digit and non-ASCII runs (and the digit runs' facts), found by one pass of the scan core. */
  private basics(): BasicRuns {
    return (this.basicMemo ??= basicRuns(this.text))
  }

  private digitPairs: Int32Array | undefined

  /** Maximal runs of ASCII digits, [start, end]*. */
  digitRuns(): Int32Array {
    if (this.digitPairs) return this.digitPairs
    const text = this.text
    if (text.length >= GRAM_MIN) return (this.digitPairs = this.basics().digits)
    return (this.digitPairs = regexRuns(text, DIGIT_RUN, 48, 57, this.ints(32)))
  }

  private denseMemo: boolean | undefined
  /** Whether digits are frequent (over 2 %: CSV, tables), where per-window tests cost more than they save. */
  dense(): boolean {
    if (this.denseMemo === undefined) {
      if (this.text.length <= 16384) return (this.denseMemo = this.digitCount() / this.text.length > 0.02)
      const sample = this.text.slice(0, 16384)
      const n = sample.match(/[0-9]/g)?.length ?? 0
      this.denseMemo = sample.length > 0 && n / sample.length > 0.02
    }
    return this.denseMemo
  }

  private nonAsciiMemo: boolean | undefined

  /** Whether the text holds any non-ASCII char (small texts: a regex scan stops at the first). */
  hasNonAscii(): boolean {
    return (this.nonAsciiMemo ??= this.text.length >= GRAM_MIN ? this.basics().nonAscii.length > 0 : NON_ASCII.test(this.text))
  }

  private naRuns: Int32Array | undefined
  private naChars = 0

  /** Maximal runs of non-ASCII chars: [start, end]*. */
  nonAsciiRuns(): Int32Array {
    if (this.naRuns === undefined) {
      let runs = EMPTY
      const text = this.text
      if (text.length >= GRAM_MIN) runs = this.basics().nonAscii
      else if (this.hasNonAscii()) runs = regexRuns(text, NON_ASCII_RUN, 128, 0xffff, new Int32Array(16))
      this.naRuns = runs
      this.naChars = 0
      for (let k = 0; k < runs.length; k += 2) this.naChars += runs[k + 1] - runs[k]
    }
    return this.naRuns
  }

  /**
   * Whether windows around the non-ASCII runs, each widened by a match length of maxLen, cover under
   * a quarter of the text (a few CJK names in English prose, not a Japanese document).
   */
  nonAsciiSparse(maxLen: number): boolean {
    const runs = this.nonAsciiRuns()
    return (this.naChars + (runs.length / 2) * maxLen) * 4 < this.text.length
  }

  private digitTotal = -1

  /** Number of ASCII digits in the text. */
  digitCount(): number {
    if (this.digitTotal < 0) {
      let n = 0
      const runs = this.digitRuns()
      for (let k = 0; k < runs.length; k += 2) n += runs[k + 1] - runs[k]
      this.digitTotal = n
    }
    return this.digitTotal
  }

  private lines: Int32Array | undefined

  /** Offsets where lines start (0, then one past each newline). */
  lineStarts(): Int32Array {
    if (this.lines) return this.lines
    const text = this.text
    const s = [0]
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) s.push(i + 1)
    return (this.lines = Int32Array.from(s))
  }

  private factsMemo: Uint32Array | undefined

  /** Per digit run, the letters before it, its first digit and its length (see runFactsOf). */
  runFacts(): Uint32Array {
    if (this.factsMemo) return this.factsMemo
    // big texts: from the scan core's basics pass, written as each run was found (its bytes in cache)
    return (this.factsMemo = this.text.length >= GRAM_MIN ? this.basics().digitFacts : runFactsOf(this.text, this.digitRuns()))
  }

  digitRunCount(): number {
    return this.digitRuns().length >> 1
  }

  /**
   * Cuts the segments of these families in one walk over the digit runs (big texts: the scan core
   * classifies each word once for all of them), for segments() to find.
   */
  cutSegments(families: number[]): void {
    if (this.text.length < GRAM_MIN) return
    const todo = [...new Set(families.map((f) => this.canonFamily(f)))].filter((f) => !this.segMemo.has(f))
    if (todo.length < 2) return
    const cut = digitSegments(this.text, this.digitRuns(), todo.map((f) => FAMILY_SETS[f]), MULTI_GROUPS)
    todo.forEach((f, k) => {
      this.segMemo.set(f, cut[k].segments)
      this.bucketMemo.set(f, bucketsOf(cut[k].buckets))
    })
  }

  /**
   * Maximal runs of the family's characters that contain a digit, as
   * [start, end, digits, runs, pure]* (pure = 1 when the segment is digits only).
   */
  segments(family: number): Int32Array {
    let out = this.segMemo.get(family)
    if (out) return out
    const canon = this.canonFamily(family)
    if (canon !== family) {
      out = this.segments(canon)
      this.segMemo.set(family, out)
      return out
    }
    const r = this.digitRuns()
    if (this.text.length >= GRAM_MIN) {
      const [cut] = digitSegments(this.text, r, [FAMILY_SETS[family]], MULTI_GROUPS)
      out = cut.segments
      this.bucketMemo.set(family, bucketsOf(cut.buckets))
    } else {
      // a segment holds at least one digit run: size the buffer once
      const buf = this.ints(Math.max(40, (r.length >> 1) * 5))
      out = buf.subarray(0, cutSegments(this.text, r, FAMILY_SETS[family], buf))
    }
    this.segMemo.set(family, out)
    return out
  }

  private _sumMemo: Map<number, Int32Array> | undefined
  private get sumMemo(): Map<number, Int32Array> {
    return (this._sumMemo ??= new Map())
  }

  /**
   * Per segment of a family, which digit counts a digit-bounded match inside it can have: such a
   * match covers whole digit runs, so its digits are the sum of some consecutive runs. Two words per
   * segment: bit s of the first for sums 1..31, bit s - 32 of the second for 32..62, bit 31 for ≥ 63.
   * The last two words are the union over all segments, so a pattern can skip the family at once.
   */
  sumMasks(family: number): Int32Array {
    let out = this.sumMemo.get(family)
    if (out) return out
    const segs = this.segments(family)
    const r = this.digitRuns()
    const n = (segs.length / 5) * 2
    out = this.ints(n + 2)
    let allLo = 0
    let allHi = 0
    let r0 = 0 // index of the segment's first run: segments hold consecutive runs, in order
    for (let k = 0, j = 0; k < segs.length; k += 5, j += 2) {
      const nr = segs[k + 3]
      let lo = 0
      let hi = 0
      for (let a = r0; a < r0 + nr; a++) {
        let s = 0
        for (let b = a; b < r0 + nr; b++) {
          s += r[2 * b + 1] - r[2 * b]
          if (s >= 63) {
            hi |= 1 << 31
            break
          }
          if (s < 32) lo |= 1 << s
          else hi |= 1 << (s - 32)
        }
      }
      out[j] = lo
      out[j + 1] = hi
      allLo |= lo
      allHi |= hi
      r0 += nr
    }
    out[n] = allLo
    out[n + 1] = allHi
    this.sumMemo.set(family, out)
    return out
  }

  private _bucketMemo: Map<number, Buckets> | undefined
  private get bucketMemo(): Map<number, Buckets> {
    return (this._bucketMemo ??= new Map())
  }

  /**
   * Segments of a family indexed for digit-bounded patterns: single-run segments grouped by run
   * length (lengths 1..64), the others by digit count (see Buckets).
   */
  buckets(family: number): Buckets {
    let b = this.bucketMemo.get(family)
    if (b) return b
    const canon = this.canonFamily(family)
    b = canon !== family ? this.buckets(canon) : bucketize(this.segments(family))
    this.bucketMemo.set(family, b)
    return b
  }

  /** Windows around groups of digit runs no further than `reach` apart: [start, end, digits, first run, runs]*. */
  clusters(reach: number): Int32Array {
    let out = this.clusterMemo.get(reach)
    if (out) return out
    const r = this.digitRuns()
    const len = this.text.length
    let buf = this.ints(5 * Math.min(Math.max(1, r.length >> 1), 4096))
    let n = 0
    let i = 0
    while (i < r.length) {
      const i0 = i
      const first = r[i]
      let last = r[i + 1]
      let digits = last - first
      i += 2
      while (i < r.length && r[i] - last <= reach) {
        digits += r[i + 1] - r[i]
        last = r[i + 1]
        i += 2
      }
      if (n + 5 > buf.length) buf = grown(buf)
      buf[n] = first - reach > 0 ? first - reach : 0
      buf[n + 1] = last + reach < len ? last + reach : len
      buf[n + 2] = digits
      buf[n + 3] = i0 >> 1
      buf[n + 4] = (i - i0) >> 1
      n += 5
    }
    out = buf.subarray(0, n)
    this.clusterMemo.set(reach, out)
    return out
  }
}

/** Seeded run plans at least this long find long runs first (see charRuns). */
const SKIP_SEEDED = 12

const seedSetMemo = new Map<string, Uint8Array>()
/** The ASCII chars of a seed class, as a bitmap. */
function seedSet(cls: string): Uint8Array {
  let out = seedSetMemo.get(cls)
  if (!out) {
    const re = new RegExp(`[${cls}]`)
    out = new Uint8Array(128)
    for (let c = 0; c < 128; c++) out[c] = re.test(String.fromCharCode(c)) ? 1 : 0
    seedSetMemo.set(cls, out)
  }
  return out
}

const seedMemo = new Map<string, string[] | null>()
/** The chars of a seed class (`\x2d\x2e\x3a`), or null when it is not a few single chars. */
function seedChars(cls: string): string[] | null {
  let out = seedMemo.get(cls)
  if (out === undefined) {
    const m = /^(?:\\x[0-9a-f]{2}){1,4}$/.test(cls) ? cls.match(/[0-9a-f]{2}/g) : null
    out = m ? m.map((h) => String.fromCharCode(parseInt(h, 16))) : null
    seedMemo.set(cls, out)
  }
  return out
}

/** Global regexes of the run plans, compiled once per process (not per text); lastIndex is reset on use. */
const RUN_REGEXES = new Map<string, RegExp>()
function cachedRegex(src: string): RegExp {
  let re = RUN_REGEXES.get(src)
  if (!re) {
    re = new RegExp(src, 'g')
    RUN_REGEXES.set(src, re)
  }
  re.lastIndex = 0
  return re
}

/** Report the matches of `re` that start in [from, to), scanning text[from - ctx, to + ctx). */
function execWindow(re: RegExp, text: string, from: number, to: number, ctx: number, onMatch: (start: number, end: number) => void): void {
  execRange(re, text, from, to, to, ctx, onMatch)
}

/** Below this many segments a family's segments are scanned directly (no length buckets to build). */
const BUCKET_MIN_SEGMENTS = 48

/** Probing threshold for a family-run plan whose matches are at least minLen long. */
function famThreshold(minL: number): number {
  return minL >= 32 ? 32 : minL >= 24 ? 24 : minL >= 16 ? 16 : minL >= 12 ? 12 : LONG_RUN
}

/** Per run family, the lowest threshold among these patterns' family-run plans. */
function famShared(patterns: CompiledPattern[]): number[] {
  const out = RUN_FAMILY_SETS.map(() => Infinity)
  for (const p of patterns) {
    if (p.plan.kind === 'famruns' && p.info) out[p.plan.family] = Math.min(out[p.plan.family], famThreshold(p.info.minLen))
  }
  return out
}

/**
 * Scan only where a match can start: a match contains one of the required literals, so it starts at
 * most maxLen - |literal| before an occurrence (see scanStarts).
 */
function litWindows(p: CompiledPattern, idx: TextIndex, maxLen: number, onMatch: (s: number, e: number) => void): void {
  const lits = p.literals as string[]
  const occ: number[] = []
  if (lits.length > 1) {
    // one alternation pass finds every position where some literal starts; windows assume the
    // shortest literal, so they cover the match starts of any literal there
    let minLit = Infinity
    for (const l of lits) if (l.length < minLit) minLit = l.length
    for (const i of idx.anyLiteralPositions(lits, p.caseInsensitive)) occ.push(i - (maxLen - minLit), i + 1)
  } else for (const i of idx.literalPositions(lits[0], p.caseInsensitive)) occ.push(i - (maxLen - lits[0].length), i + 1)
  scanStarts(p, idx.text, occ, maxLen, onMatch)
}

/**
 * Scan windows of allowed match starts, given as [from, to)* pairs sorted by `from`: touching windows
 * are merged (so no match is reported twice), and each scanned slice reaches maxLen past its last
 * allowed start, so no reported match is cut short.
 */
function scanStarts(p: CompiledPattern, text: string, pairs: ArrayLike<number>, maxLen: number, onMatch: (s: number, e: number) => void): void {
  let from = -1
  let to = -1
  // As a plain scan does, resume after the last match: a later window may start inside it (an
  // anchor char or literal within a matched value) and would report an overlapping match.
  let lastEnd = 0
  const flush = () => {
    const f = from > lastEnd ? from : lastEnd
    if (f < to) lastEnd = Math.max(lastEnd, execRange(p.regex, text, f, to, to - 1 + maxLen, p.ctx, onMatch))
  }
  for (let k = 0; k < pairs.length; k += 2) {
    const a = pairs[k]
    const b = pairs[k + 1]
    if (to >= 0 && a <= to) {
      if (b > to) to = b
    } else {
      flush()
      from = a
      to = b
    }
  }
  flush()
}

/** Scan only where a match can start when every match holds a non-ASCII char: at most maxLen - 1 before one. */
function nonAsciiWindows(p: CompiledPattern, idx: TextIndex, maxLen: number, onMatch: (s: number, e: number) => void): void {
  const runs = idx.nonAsciiRuns()
  const pairs = new Int32Array(runs.length)
  for (let k = 0; k < runs.length; k += 2) {
    pairs[k] = runs[k] - maxLen + 1
    pairs[k + 1] = runs[k + 1]
  }
  scanStarts(p, idx.text, pairs, maxLen, onMatch)
}

/** Windows around the anchor chars: a match starts at most `offset` chars before one (see ScanPlan 'anchor'). */
function anchorWindows(p: CompiledPattern, text: string, pos: number[], off: number, maxLen: number, onMatch: (s: number, e: number) => void): void {
  const pairs: number[] = []
  for (let k = 0; k < pos.length; k++) pairs.push(pos[k] - off, pos[k] + 1)
  scanStarts(p, text, pairs, maxLen, onMatch)
}

/**
 * Report the matches of `re` that start in [from, to), scanning text[from - ctx, sliceEnd + ctx);
 * returns the end of the last one (-1 when none).
 */
function execRange(
  re: RegExp,
  text: string,
  from: number,
  to: number,
  sliceEnd: number,
  ctx: number,
  onMatch: (start: number, end: number) => void,
): number {
  const len = text.length
  const s0 = from - ctx > 0 ? from - ctx : 0
  const s1 = sliceEnd + ctx < len ? sliceEnd + ctx : len
  const sub = s0 === 0 && s1 === len ? text : text.slice(s0, s1)
  const limit = to - s0
  re.lastIndex = from - s0
  let m: RegExpExecArray | null
  let last = -1
  while ((m = re.exec(sub)) !== null) {
    const st = m.index
    if (st >= limit) break
    const len0 = m[0].length
    if (len0 === 0) {
      re.lastIndex++
      continue
    }
    last = s0 + st + len0
    onMatch(s0 + st, last)
  }
  return last
}

/** Whether this pattern can possibly match, judging from literals and required keywords. */
export function gate(p: CompiledPattern, idx: TextIndex): boolean {
  // a pattern that needs Hangul, kana or Han chars cannot match pure-ASCII text
  if (p.info && p.info.minNonAscii > 0 && !idx.hasNonAscii()) return false
  // every match holds at least minDigits ASCII digits: one count per text gates all digit patterns
  if (p.info && p.info.minDigits > 0 && p.info.minDigits > idx.digitCount()) return false
  if (p.literals) {
    let any = false
    for (const l of p.literals) {
      if (idx.has(l, p.caseInsensitive)) {
        any = true
        break
      }
    }
    if (!any) return false
  }
  // Required keywords gate every plan in big texts (where the trigram bitmap makes the test cheap);
  // in small texts only whole-text scans, as the windowed plans are cheaper than the test there.
  if (p.keywordsRequired && (p.plan.kind === 'full' || idx.text.length >= GRAM_MIN)) {
    let any = false
    for (const k of p.keywords) {
      if (idx.has(k, true)) {
        any = true
        break
      }
    }
    if (!any) return false
  }
  return true
}

/**
 * In a sorted list of records of `stride` ints keyed by their first, the index (into `a`) of the
 * first record whose key is at least `x` (a.length when none).
 */
export function firstAtLeast(a: Int32Array, x: number, stride = 1): number {
  let lo = 0
  let hi = Math.floor(a.length / stride)
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid * stride] < x) lo = mid + 1
    else hi = mid
  }
  return lo * stride
}

/**
 * Which digit runs can hold a digit-bounded match's first digit: by the letters the pattern needs
 * just before it (leadMask), by that digit (RegexInfo.firstDigits), by the run's length and the
 * next one's (runPairs).
 */
class RunFilter {
  constructor(
    private readonly lead: number,
    /** all ten bits when any first digit will do */
    private readonly first: number,
    private readonly next: Uint32Array | null,
    /** TextIndex.runFacts */
    private readonly facts: Uint32Array,
  ) {}

  /** Whether run r can (runs from e on are out of the window). */
  fits(r: number, e: number): boolean {
    const f = this.facts[r]
    const next = this.next
    if (this.lead !== 0 && (f & this.lead) === 0) return false
    if (((this.first >> ((f >> 8) & 15)) & 1) === 0) return false
    return next === null || (next[f >>> 12] & (r + 1 < e ? 1 | (1 << (this.facts[r + 1] >>> 12)) : 1)) !== 0
  }

  /** Whether one of the consecutive runs r..e-1 can. */
  any(r: number, e: number): boolean {
    for (; r < e; r++) if (this.fits(r, e)) return true
    return false
  }
}

/** The match starting at `at`, if any, by one sticky test (no slice, no match array). */
function stickyAt(sticky: RegExp, text: string, at: number, onMatch: (start: number, end: number) => void): void {
  sticky.lastIndex = at
  if (sticky.test(text) && sticky.lastIndex > at) onMatch(at, sticky.lastIndex)
}

/**
 * Whether a match can start at few enough places before its first digit run (lead.min..lead.max
 * chars, at most three) that a sticky test at each is worth it over one scan of the window
 * (`DE ?\d{9}` yes, a lead of 0..8 chars no). With any bounded lead, 4 MB of prose took 64,000 tests
 * for the 44,000 windows; so, 45,000, in the same time or a little less.
 */
function stickyLead(info: RegexInfo): boolean {
  return info.lead !== null && info.lead.max - info.lead.min <= 2
}

/**
 * The matches of a digit-bounded pattern within a segment (matches lie inside one) whose runs are
 * r..e-1, as execWindow over it finds them, by sticky tests at the only places one can start: lead
 * (min..max) chars before a run the filter lets through. Tried in text order, from the end of the
 * last match on (a global scan's matches do not overlap). No slice, no match arrays.
 */
function stickyStarts(
  sticky: RegExp,
  text: string,
  runs: Int32Array,
  rf: RunFilter,
  r: number,
  e: number,
  segStart: number,
  dmin: number,
  dmax: number,
  onMatch: (start: number, end: number) => void,
): void {
  let from = segStart
  for (; r < e; r++) {
    if (!rf.fits(r, e)) continue
    const rs = runs[2 * r]
    for (let pos = rs - dmax > from ? rs - dmax : from; pos <= rs - dmin; pos++) {
      sticky.lastIndex = pos
      if (!sticky.test(text)) continue
      const end = sticky.lastIndex
      if (end <= pos) continue
      onMatch(pos, end)
      from = end
      pos = end - 1
    }
    if (from < rs - dmin + 1) from = rs - dmin + 1
  }
}

/** The pattern's RunFilter, null when it gives no test or the text is digit-dense (the tests cost more than they save there). */
function runFilter(p: CompiledPattern, idx: TextIndex): RunFilter | null {
  if (idx.dense()) return null
  const info = p.info as RegexInfo
  const lead = p.leadMask
  const first = info.firstDigits === 0x3ff ? 0 : info.firstDigits
  const next = runPairs(p)?.next ?? null
  if (lead === 0 && first === 0 && next === null) return null
  return new RunFilter(lead, first === 0 ? 0x3ff : first, next, idx.runFacts())
}

/**
 * Raw regex hits of one pattern (before verification), using the pattern's scan plan. With a piece
 * (segments plans only, see scanText), only the windows that start in it.
 */
export function rawHits(p: CompiledPattern, idx: TextIndex, onMatch: (start: number, end: number) => void, piece = -1): void {
  const text = idx.text
  const re = p.regex
  const info = p.info
  if (p.plan.kind === 'segments' && info) {
    const fam = p.plan.family
    const segs = idx.segments(fam)
    const minD = info.minDigits
    const minL = info.minLen
    const ctx = p.ctx
    if (info.digitBounded && info.maxDigits <= 64 && segs.length > BUCKET_MIN_SEGMENTS * 5) {
      // A digit-bounded match covers whole digit runs: a single-run segment can only hold a match
      // when its run length is within [minDigits, maxDigits].
      const b = idx.buckets(fam)
      const sticky = p.sticky
      const order = b.order
      // the whole text, or only the segments that start in the piece
      const cuts = piece >= 0 ? (b.cuts ?? cutBuckets(b, idx.pieces, idx.pieceLen)) : null
      const lo = cuts ? cuts[piece] : b.start
      const hi = cuts ? cuts[piece + 1] : b.start.subarray(1)
      // single-run segments: a match there has that one run (see runPairs); other tests per run
      const single = runPairs(p)?.single ?? -1
      const rf = runFilter(p, idx)
      // with a filter and a narrow lead, sticky tests where a match can start replace the windows
      const starts = rf !== null && stickyLead(info) ? idx.digitRuns() : null
      const dmin = info.lead?.min ?? 0
      const dmax = info.lead?.max ?? 0
      for (let l = minD; l <= info.maxDigits; l++) {
        if (((single >>> (l < 31 ? l : 31)) & 1) === 0) continue
        const to = hi[l] * 3
        for (let j = lo[l] * 3; j < to; j += 3) {
          const st = order[j]
          const en = order[j + 1]
          if (en - st < minL) continue
          const r = order[j + 2]
          if (rf !== null && !rf.fits(r, r + 1)) continue
          // digits only: the match, if any, is exactly this run
          if (en - st === l) stickyAt(sticky, text, st, onMatch)
          else if (starts !== null) stickyStarts(sticky, text, starts, rf as RunFilter, r, r + 1, st, dmin, dmax, onMatch)
          else execWindow(re, text, st, en, ctx, onMatch)
        }
      }
      // (no digit-sum test here: in digit-dense texts the masks cost more than the windows they save)
      const multi = b.multi
      const mlo = cuts ? cuts[piece].subarray(66) : b.mstart
      const mhi = cuts ? cuts[piece + 1].subarray(66) : b.mstart.subarray(1)
      for (let d = Math.min(minD, MULTI_GROUPS - 1); d < MULTI_GROUPS; d++) {
        const to = mhi[d] * 5
        for (let j = mlo[d] * 5; j < to; j += 5) {
          if (multi[j + 1] - multi[j] < minL) continue
          const r = multi[j + 3]
          if (starts !== null) stickyStarts(sticky, text, starts, rf as RunFilter, r, r + multi[j + 4], multi[j], dmin, dmax, onMatch)
          else if (rf === null || rf.any(r, r + multi[j + 4])) execWindow(re, text, multi[j], multi[j + 1], ctx, onMatch)
        }
      }
      return
    }
    // As in the bucket walk above: a digit-bounded match within a single-run segment is that run
    // (digits only: exactly the segment), so the run's length must be within [minDigits, maxDigits].
    const maxD = info.digitBounded && info.maxDigits <= 64 ? info.maxDigits : Infinity
    const sticky = p.sticky
    let sums: Int32Array | undefined
    const lo = p.sumLo
    const hi = p.sumHi
    if (info.digitBounded) {
      // no segment of the family holds a digit count the pattern allows
      sums = idx.sumMasks(fam)
      if ((sums[sums.length - 2] & lo) === 0 && (sums[sums.length - 1] & hi) === 0) return
    }
    let k0 = 0
    let k1 = segs.length
    if (piece >= 0) {
      // segments are [start, end, digits, runs, pure]*
      k0 = firstAtLeast(segs, piece * idx.pieceLen, 5)
      k1 = firstAtLeast(segs, (piece + 1) * idx.pieceLen, 5)
    }
    for (let k = k0; k < k1; k += 5) {
      if (segs[k + 2] < minD || segs[k + 1] - segs[k] < minL) continue
      if (segs[k + 3] === 1 && maxD !== Infinity) {
        if (segs[k + 2] > maxD) continue
        if (segs[k + 4] === 1) {
          stickyAt(sticky, text, segs[k], onMatch)
          continue
        }
      } else if (info.digitBounded && segs[k + 3] > 1) {
        // no run of consecutive digit runs here has a digit count the pattern allows
        sums = sums as Int32Array
        const si = (k / 5) * 2
        if ((sums[si] & lo) === 0 && (sums[si + 1] & hi) === 0) continue
      }
      execWindow(re, text, segs[k], segs[k + 1], ctx, onMatch)
    }
    return
  }
  if ((p.plan.kind === 'digits' || p.plan.kind === 'runs') && info && info.minNonAscii > 0 && info.maxLen <= MAX_WINDOW_LEN) {
    // Every match holds a non-ASCII char: where those are rare, look only around them. Both plans are
    // windowable (no anchors or back-references, short lookarounds), so the windows are exact.
    if (idx.nonAsciiSparse(info.maxLen) && (p.plan.kind === 'runs' || idx.nonAsciiRuns().length / 2 <= idx.digitRunCount())) {
      nonAsciiWindows(p, idx, info.maxLen, onMatch)
      return
    }
  }
  if (p.plan.kind === 'digits' && info) {
    const cl = idx.clusters(Math.max(1, info.maxLen))
    const minD = info.minDigits
    // the runs of a match lie in one cluster (closer than its length), so a cluster with no run
    // that can start one holds none (big texts only: small ones have few clusters)
    const rf = info.digitBounded && text.length >= GRAM_MIN ? runFilter(p, idx) : null
    // and, as in segments, sticky tests where a match can start
    const starts = rf !== null && stickyLead(info) ? idx.digitRuns() : null
    for (let k = 0; k < cl.length; k += 5) {
      if (cl[k + 2] < minD) continue
      const r = cl[k + 3]
      if (starts !== null) stickyStarts(p.sticky, text, starts, rf as RunFilter, r, r + cl[k + 4], cl[k], info.lead?.min ?? 0, info.lead?.max ?? 0, onMatch)
      else if (rf === null || rf.any(r, r + cl[k + 4])) execWindow(re, text, cl[k], cl[k + 1], p.ctx, onMatch)
    }
    return
  }
  if (p.plan.kind === 'litruns' && info && p.literals) {
    const runs = idx.literalRuns(p.literals, p.caseInsensitive, p.plan.charset, p.plan.nonAscii)
    const minL = info.minLen
    for (let k = 0; k < runs.length; k += 2) {
      if (runs[k + 1] - runs[k] < minL) continue
      execWindow(re, text, runs[k], runs[k + 1], p.ctx, onMatch)
    }
    return
  }
  if (p.plan.kind === 'litwin' && info && p.literals) {
    litWindows(p, idx, info.maxLen, onMatch)
    return
  }
  if (p.plan.kind === 'anchor' && info) {
    const pos = idx.charPositions(p.plan.runClass)
    // where the anchor chars are dense, the literal windows' one keyword pass is cheaper (also exact)
    if (pos) anchorWindows(p, text, pos, p.plan.offset, info.maxLen, onMatch)
    else litWindows(p, idx, info.maxLen, onMatch)
    return
  }
  if (p.plan.kind === 'famruns' && info) {
    const minL = info.minLen
    const runs = idx.familyRuns(p.plan.family, famThreshold(minL), idx.famShared?.[p.plan.family])
    // A match that no letter or digit may touch, inside a run of letters and digits, is the whole
    // run: too long a run, or one a letter or digit touches, holds none (uppercase words in prose).
    const whole = info.alnumBounded && ALNUM_RUN_FAMILY[p.plan.family] === 1
    const maxL = info.maxLen
    const len = text.length
    const sticky = p.sticky
    for (let k = 0; k < runs.length; k += 2) {
      const st = runs[k]
      const en = runs[k + 1]
      if (en - st < minL) continue
      if (whole) {
        if (en - st > maxL || (st > 0 && isAsciiAlnum(text.charCodeAt(st - 1))) || (en < len && isAsciiAlnum(text.charCodeAt(en)))) continue
        // the match, if any, starts at the run's start
        stickyAt(sticky, text, st, onMatch)
      } else execWindow(re, text, st, en, p.ctx, onMatch)
    }
    return
  }
  if (p.plan.kind === 'runs' && info) {
    const runs = idx.charRuns(p.plan.key, p.plan.seedClass, p.plan.runClass, p.plan.charset, p.plan.nonAscii, info.minLen)
    for (let k = 0; k < runs.length; k += 2) execWindow(re, text, runs[k], runs[k + 1], p.ctx, onMatch)
    return
  }
  execWindow(re, text, 0, text.length, 0, onMatch)
}

/** Scan merged windows around keyword occurrences (extended left to a whitespace when close). */
function keywordWindows(p: CompiledPattern, text: string, pos: Int32Array, maxLen: number, onMatch: (s: number, e: number) => void): void {
  const reach = p.window + maxLen
  const len = text.length
  let ws = -1
  let we = -1
  const flush = () => {
    if (ws < 0) return
    // start at a whitespace (if one is near) so the scan does not begin inside a token
    let s0 = ws
    for (let k = 0; k < 64 && s0 > 0; k++) {
      const c = text.charCodeAt(s0 - 1)
      if (c === 32 || c === 10 || c === 9 || c === 13) break
      s0--
    }
    execWindow(p.regex, text, s0, we, p.ctx, onMatch)
  }
  for (let i = 0; i < pos.length; i += 2) {
    const a = Math.max(0, pos[i] - reach)
    const b = Math.min(len, pos[i + 1] + reach)
    if (ws >= 0 && a <= we) {
      if (b > we) we = b
    } else {
      flush()
      ws = a
      we = b
    }
  }
  flush()
}

interface KeywordAlternation {
  /** The required keywords (null when none), for when there is no table. */
  re: RegExp | null
  /** For each keyword, the shorter keywords it starts with (hidden by it in the alternation). */
  prefixes: Map<string, string[]>
  /** The keywords laid out for the scan core's keyword pass (null: they do not fit; search by `re`). */
  table: KeywordTable | null
  /** Per keyword id of `table` whose hits the core cannot decide alone: a sticky RegExp to decide them. */
  exact: (RegExp | null)[]
  /** The table's ids past the keywords: lead literals, and the patterns whose matches start with each. */
  leads: CompiledPattern[][]
}

const kwRegexCache = new WeakMap<CompiledPattern[], KeywordAlternation | null>()

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The leads of a pattern a keyword pass can find every match start of (see RegexInfo.leads): with
 * no letter (or letter and digit) allowed before a match, or leads that start with other chars.
 */
function usableLeads(p: CompiledPattern): RegexInfo['leads'] {
  const leads = p.info?.leads ?? null
  if (!leads) return null
  return leads.edge !== null || leads.lits.every((l) => !isAsciiAlnum(l.charCodeAt(0))) ? leads : null
}

/**
 * The keyword pass of these patterns: their required keywords (also as one case-insensitive
 * alternation, longest first, for when the scan core's table cannot take them) and the lead
 * literals of the patterns whose matches start with one (found by the table only).
 */
function keywordRegex(patterns: CompiledPattern[]): KeywordAlternation | null {
  let r = kwRegexCache.get(patterns)
  if (r !== undefined) return r
  const all = [...new Set(patterns.filter((p) => p.keywordsRequired).flatMap((p) => p.keywords))].sort((a, b) => b.length - a.length)
  const prefixes = new Map<string, string[]>()
  for (const k of all) {
    const pre = all.filter((x) => x.length < k.length && k.startsWith(x))
    if (pre.length) prefixes.set(k, pre)
  }
  // lead literals: one entry per literal and edge, shared by the patterns that start with it
  const leadAt = new Map<string, number>()
  const leads: CompiledPattern[][] = []
  const words = [...all]
  const options: number[] = all.map(() => 0)
  const follow: (Uint8Array | null)[] = all.map(() => null)
  for (const p of patterns) {
    const l = usableLeads(p)
    if (!l) continue
    l.lits.forEach((lit, j) => {
      const key = `${l.edge === 'letter' ? 1 : 0}${lit}`
      let at = leadAt.get(key)
      const next = l.next[j]
      if (at === undefined) {
        leadAt.set(key, (at = leads.length))
        leads.push([])
        words.push(lit)
        options.push(OPEN_END | (l.edge === 'letter' ? LETTER_EDGE : 0))
        follow.push(next)
      } else {
        // shared by several patterns: what may follow any of them
        const had = follow[all.length + at]
        follow[all.length + at] = had && next ? had.map((b, c) => b | next[c]) : null
      }
      leads[at].push(p)
    })
  }
  const table = words.length ? keywordTable(words, options, follow) : null
  const exact = table ? all.map((k, id) => (table.verify[id] ? new RegExp(escapeRe(k), 'iy') : null)) : []
  r = all.length || table ? { re: all.length ? new RegExp(all.map(escapeRe).join('|'), 'gi') : null, prefixes, table, exact, leads: table ? leads : [] } : null
  kwRegexCache.set(patterns, r)
  return r
}

/** Positions of keyword occurrences in a text (one regex pass), grouped by lower-cased keyword. */
class KeywordIndex {
  private readonly byKw = new Map<string, number[]>()
  private readonly perPattern = new Map<CompiledPattern, Int32Array>()
  /** Where a lead literal of the pattern starts (sorted; see usableLeads). */
  readonly leadStarts = new Map<CompiledPattern, number[]>()
  constructor(text: string, alt: KeywordAlternation) {
    if (alt.table) {
      // one pass of the scan core finds every keyword at every place (word edges checked there)
      const hits = keywordHits(text, alt.table)
      const { keywords } = alt.table
      const nKw = alt.exact.length
      for (let i = 0; i < hits.length; i += 2) {
        const st = hits[i]
        const id = hits[i + 1]
        if (id >= nKw) {
          for (const p of alt.leads[id - nKw]) {
            let arr = this.leadStarts.get(p)
            if (!arr) this.leadStarts.set(p, (arr = []))
            arr.push(st)
          }
          continue
        }
        const ex = alt.exact[id]
        if (ex) {
          ex.lastIndex = st
          if (!ex.test(text)) continue
        }
        const kw = keywords[id]
        let arr = this.byKw.get(kw)
        if (!arr) this.byKw.set(kw, (arr = []))
        arr.push(st, st + kw.length)
      }
      return
    }
    const re = alt.re
    if (!re) return
    re.lastIndex = 0
    let m: RegExpExecArray | null
    const record = (kw: string, st: number) => {
      const en = st + kw.length
      // ASCII keywords must stand as words
      const okB = !isAsciiAlnum(kw.charCodeAt(0)) || st === 0 || !isAsciiAlnum(text.charCodeAt(st - 1))
      const okA = !isAsciiAlnum(kw.charCodeAt(kw.length - 1)) || en >= text.length || !isAsciiAlnum(text.charCodeAt(en))
      if (okB && okA) {
        let arr = this.byKw.get(kw)
        if (!arr) this.byKw.set(kw, (arr = []))
        arr.push(st, en)
      }
    }
    while ((m = re.exec(text)) !== null) {
      const kw = m[0].toLowerCase()
      const st = m.index
      record(kw, st)
      // keywords hidden by this (longer) one: those it starts with, and those starting inside it
      // (found by resuming the scan at the next position)
      const pre = alt.prefixes.get(kw)
      if (pre) for (const k of pre) record(k, st)
      re.lastIndex = st + 1
    }
  }

  /** Sorted [start, end]* of this pattern's keywords. */
  forPattern(p: CompiledPattern): Int32Array {
    let out = this.perPattern.get(p)
    if (out) return out
    // start * 65536 + length, sorted as numbers (exact in a double for any text a string can hold)
    let n = 0
    for (const k of p.keywords) n += (this.byKw.get(k)?.length ?? 0) >> 1
    const keys = new Float64Array(n)
    n = 0
    for (const k of p.keywords) {
      const arr = this.byKw.get(k)
      if (arr) for (let i = 0; i < arr.length; i += 2) keys[n++] = arr[i] * 65536 + (arr[i + 1] - arr[i])
    }
    keys.sort()
    out = new Int32Array(2 * n)
    for (let i = 0; i < n; i++) {
      const st = Math.floor(keys[i] / 65536)
      out[2 * i] = st
      out[2 * i + 1] = st + (keys[i] - st * 65536)
    }
    this.perPattern.set(p, out)
    return out
  }

  near(p: CompiledPattern, text: string, start: number, end: number): boolean {
    const pos = this.forPattern(p)
    const lo0 = start - p.window
    const hi0 = end + p.window
    let maxKw = 0
    for (const k of p.keywords) if (k.length > maxKw) maxKw = k.length
    let partial = false
    for (let i = firstAtLeast(pos, lo0 - maxKw, 2); i < pos.length && pos[i] < hi0; i += 2) {
      if (pos[i] >= lo0 && pos[i + 1] <= hi0) return true
      if (pos[i + 1] > lo0) partial = true
    }
    // An occurrence sticking out of the window may hide a shorter keyword inside it (the alternation
    // reports the longest at each position): decide those rare cases exactly.
    return partial ? keywordNear(text, start, end, p.keywords, p.window) : false
  }
}

/** Whether one of the pattern's keywords is near [start, end) (through the keyword index when given). */
function nearKeyword(ki: KeywordIndex | null, p: CompiledPattern, text: string, start: number, end: number): boolean {
  if (ki) return ki.near(p, text, start, end)
  const kre = p.keywordRe
  return kre ? keywordNearRe(text, start, end, kre, p.window, p.keywords) : keywordNear(text, start, end, p.keywords, p.window)
}

/**
 * Find, verify and context-check all candidates of the given patterns.
 * Unverified candidates are kept (verified=false) only when keepUnverified is set.
 */
export function scanText(
  text: string,
  patterns: CompiledPattern[],
  getVerifier: (name: string) => Verifier | undefined,
  keepUnverified: boolean,
  idx: TextIndex = new TextIndex(text),
  pending?: Pending[],
): Candidate[] {
  const out: Candidate[] = []
  const memo = !pending && text.length >= GRAM_MIN ? new VerdictMemo() : undefined
  // reused across patterns (no per-pattern allocation or array-length resets)
  const hits: number[] = []
  let nh = 0
  let kwIndex: KeywordIndex | null | undefined
  const push = (start: number, end: number) => {
    hits[nh++] = start
    hits[nh++] = end
  }
  const ensureIndex = (): KeywordIndex | null => {
    if (kwIndex === undefined) {
      const re = keywordRegex(patterns)
      kwIndex = re ? new KeywordIndex(text, re) : null
    }
    return kwIndex
  }
  // A big text: the byte passes (runs of char sets, literal starts) the last scan with these
  // patterns asked for, computed together block by block (see prefetchPasses).
  const prefetch = text.length >= PREFETCH_MIN
  const plan = prefetch ? passPlans.get(patterns) : undefined
  if (plan) prefetchPasses(text, plan)
  // runs of a family are found once, at the lowest threshold of the patterns that pass their gates
  if (idx.famShared === undefined) idx.famShared = famShared(patterns.filter((p) => p.plan.kind === 'famruns' && gate(p, idx)))
  // Required context in big texts: look only around the pattern's keywords, found by one keyword
  // pass of the scan core per text (most hits of such patterns in prose have no keyword near).
  const byKeywords = (p: CompiledPattern) => p.keywordsRequired && text.length > 16384
  // Patterns whose every match starts with one of a few literals (see usableLeads): in big texts,
  // a sticky match at each place the keyword pass found one (generic_secret: not a window per ':').
  const leadTable = text.length > 16384 && keywordRegex(patterns)?.table
  const byLeads = (p: CompiledPattern) => !!leadTable && usableLeads(p) !== null
  const scan = (p: CompiledPattern, piece: number): void => {
    nh = 0
    let useIndex = false
    if (byLeads(p)) {
      const ki = ensureIndex() as KeywordIndex
      useIndex = p.keywordsRequired
      const starts = ki.leadStarts.get(p)
      if (!starts) return
      // as a plain scan does, resume after each match
      let lastEnd = 0
      const hit = (start: number, end: number) => {
        push(start, end)
        lastEnd = end
      }
      for (const at of starts) if (at >= lastEnd) stickyAt(p.sticky, text, at, hit)
    } else if (byKeywords(p)) {
      const ki = ensureIndex() as KeywordIndex
      const pos = ki.forPattern(p)
      if (pos.length === 0) return
      useIndex = true
      const info = p.info
      if (info && Number.isFinite(info.maxLen) && info.maxLen <= 256 && !info.anchored && info.lookaround <= 32) {
        keywordWindows(p, text, pos, info.maxLen, push)
      } else rawHits(p, idx, push)
    } else rawHits(p, idx, push, piece)
    if (nh === 0) return
    const fn = p.verification ? getVerifier(p.verification) : undefined
    // Context keywords that raise confidence: in big texts the gram bitmap tells, once per
    // pattern, when none of them can occur (then no window around a hit need be searched).
    const kwMay = p.keywords.length > 0 && (text.length < GRAM_MIN || p.keywords.some((k) => idx.has(k, true)))
    const ki = useIndex ? (kwIndex as KeywordIndex) : null
    for (let i = 0; i < nh; i += 2) {
      const start = hits[i]
      const end = hits[i + 1]
      let hasKw: boolean | undefined = kwMay ? undefined : false
      if (p.keywordsRequired) {
        hasKw = kwMay && nearKeyword(ki, p, text, start, end)
        if (!hasKw) continue
      }
      if (pending) {
        // verification deferred: the caller verifies only candidates that can still win an overlap
        pending.push({ p, start, end, fn, hasKw, ki })
        continue
      }
      const v = memo ? memo.verify(fn, text.slice(start, end)) : runVerifier(fn, text.slice(start, end))
      if (!v.valid && !keepUnverified) continue
      if (hasKw === undefined) hasKw = nearKeyword(ki, p, text, start, end)
      let confidence = v.confidence
      if (hasKw) confidence = confidence + (1 - confidence) * 0.5
      if (!v.valid) confidence = Math.min(confidence, 0.2)
      out.push({ p, start, end, verified: v.valid, confidence: Math.round(confidence * 1000) / 1000 })
    }
  }
  // Big texts: segment windows (most of the regex work) are scanned a piece at a time, every
  // pattern over one piece before the next, so that the piece's text stays in cache: in one 16 MB
  // string, pattern after pattern over the whole text missed the cache at most windows. The
  // windows are independent, so the hits are the same (found in another order).
  const pieces = idx.pieces
  const piecewise: CompiledPattern[] = []
  const active = patterns.filter((p) => gate(p, idx))
  const segmentScan = (p: CompiledPattern) => p.plan.kind === 'segments' && !byKeywords(p) && !byLeads(p)
  // the families the segment scans below need, cut together
  idx.cutSegments(active.filter(segmentScan).map((p) => (p.plan as { family: number }).family))
  for (const p of active) {
    if (pieces > 1 && segmentScan(p)) piecewise.push(p)
    else scan(p, -1)
  }
  for (let k = 0; k < pieces && piecewise.length > 0; k++) for (const p of piecewise) scan(p, k)
  if (prefetch) passPlans.set(patterns, askedPasses())
  return out
}

/** Texts this long (chars) get their byte passes computed together (16 MB prose: 280 -> 258 ms; 4 MB: no change). */
const PREFETCH_MIN = 1 << 21
/** Per pattern selection, the byte passes its last scan of a big text asked for. */
const passPlans = new WeakMap<CompiledPattern[], BytePass[]>()

/** A raw candidate whose verification is deferred (see `scanText`'s `pending`). */
export interface Pending {
  p: CompiledPattern
  start: number
  end: number
  fn: Verifier | undefined
  hasKw: boolean | undefined
  ki: KeywordIndex | null
}

/** Verify a deferred candidate exactly as `scanText` would; null when it fails verification. */
export function finishPending(c: Pending, text: string, memo?: VerdictMemo): Candidate | null {
  const { p, start, end, ki } = c
  const v = memo ? memo.verify(c.fn, text.slice(start, end)) : runVerifier(c.fn, text.slice(start, end))
  if (!v.valid) return null
  let hasKw = c.hasKw
  if (hasKw === undefined) hasKw = nearKeyword(ki, p, text, start, end)
  let confidence = v.confidence
  if (hasKw) confidence = confidence + (1 - confidence) * 0.5
  return { p, start, end, verified: true, confidence: Math.round(confidence * 1000) / 1000 }
}
