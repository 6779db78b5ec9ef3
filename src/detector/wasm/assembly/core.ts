// The detector's scan core (AssemblyScript, compiled by scripts/build-wasm.mjs into ../core.wasm.ts).
// The text comes in as UTF-16 code units, one block (BLOCK_WORDS 64-char words) at a time, into a
// staging area at TEXT; see ../index.ts for the JS side. Every pass is bound by memory traffic (~1 ns
// a char for a pass over UTF-16 on the machines measured), so basics() reads each block once, while
// it is still in cache, and writes one byte per char (bytesAt) that the other passes read instead:
// the char when ASCII, else 0x80 | its 7-bit gram code.
//
// Memory: [0, 64 Ki) left to the compiler's static data; [64 Ki, 320 Ki) the trigram bitmap; then
// 2 MB of trigram flags for grams(); 16 bytes for the char-set table of a runs() call; segments()'s
// tables, state and member cache; a literal() call's literal and fold masks (LIT_MAX bytes each);
// keywords()'s scratch and table (KW_BYTES); TEXT: one block of the text (STAGE_BYTES), then the
// text's bytes, then the output regions.

export const TRIGRAMS: usize = 65536
const TRIGRAM_BYTES: usize = 262144
/** A byte per trigram while grams() runs (plain stores: no load-modify-store chain), then packed into TRIGRAMS. */
const GRAM_FLAGS: usize = TRIGRAMS + TRIGRAM_BYTES
const GRAM_FLAG_BYTES: usize = 1 << 21
export const SET: usize = GRAM_FLAGS + GRAM_FLAG_BYTES
/** segments()'s char-set tables (16 bytes each, as at SET), at most MAX_FAMILIES. */
export const FAMILIES: usize = SET + 16
export const MAX_FAMILIES: i32 = 8
/** segments()'s state: per family its open segment (4 i32) and count; then a cache of members by word (see familyBits). */
const FAM_STATE: usize = FAMILIES + 16 * <usize>MAX_FAMILIES
const FAM_CACHE: usize = FAM_STATE + 32 * <usize>MAX_FAMILIES
export const LIT: usize = FAM_CACHE + 1024 + 64
export const LIT_MAX: i32 = 64
/** keywords()'s classes of the bytes of the word it is at and the next 16 (see there). */
const KW_SCRATCH: usize = LIT + 2 * <usize>LIT_MAX
/** The keyword table keywords() reads (laid out by index.ts: keywordTable). */
export const KW: usize = KW_SCRATCH + 128
export const KW_BYTES: i32 = 1 << 20
export const TEXT: usize = KW + <usize>KW_BYTES

/** Where basics() writes the text's bytes: past the staging area of one block of UTF-16 text. */
export function bytesAt(): usize {
  return TEXT + STAGE_BYTES
}

/** Where the output regions of basics() and runs() start for a text of len chars (see regionAt). */
export function outAt(len: i32): usize {
  return bytesAt() + (<usize>((len + 63) >> 6) << 6)
}

function gram(g: u32, p: usize): u32 {
  return ((g << 7) | (<u32>load<u8>(p) & 0x7f)) & 0x1fffff
}

/** Texts of this many chars and more mark flag bytes; shorter ones set bits (clearing and packing 2 MB of flags costs ~0.2 ms). */
const FLAGS_MIN: i32 = 1 << 19

/** Marks trigram g: a flag byte (Flag = u8) or its bit (any other type; compiled apart, no branch). */
// @ts-ignore: decorator
@inline
function mark<Flag>(g: u32): void {
  if (sizeof<Flag>() == 1) store<u8>(GRAM_FLAGS + <usize>g, 1)
  else {
    const t = TRIGRAMS + (g >> 3)
    store<u8>(t, <u8>(load<u8>(t) | (<u32>1 << (g & 7))))
  }
}

/**
 * Sets the trigram bit of every trigram of gram codes (the first two chars after zeros; scan.ts
 * looks literals up in it), from the bytes basics() wrote. Big texts set a flag byte per trigram
 * first (a plain store per char; setting bits directly chains a load and a store on each: 4.3 vs
 * 2.45 ms per 4 MB), packed into bits at the end.
 */
export function grams(len: i32): void {
  if (len < FLAGS_MIN) {
    memory.fill(TRIGRAMS, 0, TRIGRAM_BYTES)
    gramStreams<u32>(len)
    return
  }
  memory.fill(GRAM_FLAGS, 0, GRAM_FLAG_BYTES)
  gramStreams<u8>(len)
  // flags (0 or 1) to bits: 16 flags a step, shifted into the sign bit for bitmask
  for (let i: usize = 0; i < GRAM_FLAG_BYTES; i += 16) {
    const v = i8x16.shl(v128.load(GRAM_FLAGS + i), 7)
    store<u16>(TRIGRAMS + (i >> 3), <u16>i8x16.bitmask(v))
  }
}

/** Marks every trigram: four interleaved streams over quarters of the text (one stream is bound by its chain of gram codes). */
function gramStreams<Flag>(len: i32): void {
  const bytes = bytesAt()
  let p0 = bytes
  let g0: u32 = 0
  const q = len >> 2
  if (q >= 2) {
    // streams 1..3 start two chars early to carry the context across their seams, unmarked
    let p1 = bytes + <usize>(q - 2)
    let p2 = bytes + <usize>(2 * q - 2)
    let p3 = bytes + <usize>(3 * q - 2)
    let g1 = gram(gram(0, p1), p1 + 1)
    let g2 = gram(gram(0, p2), p2 + 1)
    let g3 = gram(gram(0, p3), p3 + 1)
    p1 += 2
    p2 += 2
    p3 += 2
    const end0 = bytes + <usize>q
    while (p0 < end0) {
      g0 = gram(g0, p0)
      g1 = gram(g1, p1)
      g2 = gram(g2, p2)
      g3 = gram(g3, p3)
      mark<Flag>(g0)
      mark<Flag>(g1)
      mark<Flag>(g2)
      mark<Flag>(g3)
      p0++
      p1++
      p2++
      p3++
    }
    p0 = p3
    g0 = g3
  }
  const end = bytes + <usize>len
  while (p0 < end) {
    g0 = gram(g0, p0)
    mark<Flag>(g0)
    p0++
  }
}

/**
 * 64 bytes from p (see bytesAt) as a bit word: bit i set when byte i is an ASCII char in the set at
 * SET (bit h of byte l: char 16h + l) or, when high is all ones, a non-ASCII one.
 */
function classify(p: usize, table: v128, high: v128): u64 {
  const lowNibble = i8x16.splat(0x0f)
  const hiBit = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0)
  let word: u64 = 0
  for (let k = 0; k < 4; k++) {
    const v = v128.load(p + <usize>(k << 4))
    const lo = v128.and(v, lowNibble)
    const hi = v128.and(i16x8.shr_u(v, 4), lowNibble)
    const inSet = v128.and(i8x16.swizzle(table, lo), i8x16.swizzle(hiBit, hi))
    const m = v128.or(i8x16.ne(inSet, i8x16.splat(0)), v128.and(i8x16.lt_s(v, i8x16.splat(0)), high))
    word |= (<u64>i8x16.bitmask(m)) << (<u64>(k << 4))
  }
  return word
}

// A runs() scan's run carried across words and blocks: its length so far and start.
let run: i32 = 0
let runStart: i32 = 0

/** The run a runs() call carried out of its block: its length so far (see resumeRun). */
export function carriedRun(): i32 {
  return run
}

/** Where the run carried out of the last runs() call starts. */
export function carriedStart(): i32 {
  return runStart
}

/** Sets the run a runs() call for a later block starts with, when other scans ran in between. */
export function resumeRun(length: i32, start: i32): void {
  run = length
  runStart = start
}

function emit(out: usize, n: i32, start: i32, end: i32): i32 {
  store<i32>(out + (<usize>n << 3), start)
  store<i32>(out + (<usize>n << 3) + 4, end)
  return n + 1
}

/**
 * Maximal runs of the set's chars at least minLen long, over words [w0, w1) of the text (64 chars
 * each; a scan calls it for consecutive blocks from w0 = 0 to the last word): writes the runs that
 * end in the block as [start, end] i32 pairs at outAt(len) and returns how many (at most 32 a
 * word). Reads the bytes basics() wrote (bytes past len are ignored). A word is walked bit by bit
 * only when a run may end in it: an erosion test (x & x >> 1 & ...) finds whether a run of minLen
 * lies inside, and the ones at its bottom continue the carried run.
 */
export function runs(len: i32, nonAscii: bool, minLen: i32, w0: i32, w1: i32): i32 {
  const table = v128.load(SET)
  const high = nonAscii ? i8x16.splat(-1) : i8x16.splat(0)
  const bytes = bytesAt()
  const out = outAt(len)
  const words = (len + 63) >> 6
  if (w0 == 0) run = 0
  let n = 0
  for (let w = w0; w < w1; w++) {
    let x = classify(bytes + (<usize>w << 6), table, high)
    if (w == words - 1 && (len & 63) != 0) x &= ((<u64>1) << (<u64>(len & 63))) - 1
    const base = w << 6
    if (x == 0) {
      if (run >= minLen) n = emit(out, n, runStart, base)
      run = 0
      continue
    }
    if (x == 0xffffffffffffffff) {
      if (run == 0) runStart = base
      run += 64
      continue
    }
    let e = x
    if (minLen > 64) e = 0
    else {
      let s = 1
      while (s < minLen) {
        const t = min(s, minLen - s)
        e &= e >> (<u64>t)
        s += t
      }
    }
    const lead = <i32>ctz(~x)
    if (e == 0 && run + lead < minLen) {
      // no run of minLen ends or lies here: carry only the ones at the top
      const tail = <i32>clz(~x)
      run = tail
      runStart = base + 64 - tail
      continue
    }
    let pos = 0
    while (pos < 64) {
      const y = x >> (<u64>pos)
      if ((y & 1) != 0) {
        const t = <i32>min(<i64>ctz(~y), <i64>(64 - pos))
        if (run == 0) runStart = base + pos
        run += t
        pos += t
        if (pos < 64) {
          if (run >= minLen) n = emit(out, n, runStart, base + pos)
          run = 0
        }
      } else {
        // (only at bit 0: a run carried from the word before ends here)
        if (run >= minLen) n = emit(out, n, runStart, base + pos)
        run = 0
        if (y == 0) break
        pos += <i32>ctz(y)
      }
    }
  }
  if (w1 == words && run >= minLen) n = emit(out, n, runStart, min(runStart + run, len))
  return n
}

/** Words (64 chars) per call of basics() or runs(), and the bytes of one output region. */
export const BLOCK_WORDS: i32 = 1024
/** The staging area at TEXT: one block of UTF-16 text (see basics). */
const STAGE_BYTES: usize = <usize>BLOCK_WORDS << 7
// at most 32 runs of one kind end in a word, plus one carried in
const REGION_BYTES: usize = <usize>BLOCK_WORDS * 33 * 8

/**
 * Where basics() writes the runs of one kind (0 digits, 1 non-ASCII) and the facts of the digit
 * runs (2); runs() uses kind 0; segments() gets its runs at kind 3.
 */
export function regionAt(len: i32, kind: i32): usize {
  return outAt(len) + <usize>kind * REGION_BYTES
}

// basics(): the open run of each kind across words and blocks (its start, or -1), the top bit of
// the last word of each kind, and the pairs of each kind written in this block.
let openDigit: i32 = -1
let openNonAscii: i32 = -1
let carryDigit: u64 = 0
let carryNonAscii: u64 = 0
let nDigit: i32 = 0
let nNonAscii: i32 = 0
/** Pairs written to the region transitions() is writing to. */
let cursor: i32 = 0

/** How many pairs of a kind the last basics() call wrote. */
export function written(kind: i32): i32 {
  return kind == 0 ? nDigit : nNonAscii
}

/**
 * Writes the maximal runs (any length) of the members in word x (chars base..base+63) that end in
 * it, continuing the run left open by the word before; returns the run left open at its end (or
 * -1). Starts are where a member follows a non-member, ends where a non-member follows a member,
 * so they alternate.
 */
function transitions(x: u64, carry: u64, base: i32, open: i32, out: usize): i32 {
  const prev = (x << 1) | carry
  let s = x & ~prev
  let e = ~x & prev
  while (true) {
    if (open < 0) {
      if (s == 0) return -1
      open = base + <i32>ctz(s)
      s &= s - 1
    } else {
      if (e == 0) return open
      cursor = emit(out, cursor, open, base + <i32>ctz(e))
      open = -1
      e &= e - 1
    }
  }
  return open
}

/**
 * The byte of 8 chars (see bytesAt): the char when ASCII, else 0x80 | its gram code, which is
 * (c * 31 + 7) & 127 except for KELVIN SIGN and 'İ' (the ASCII letters they case-fold to: 'K', 'I').
 * Must agree with scan.ts's CASE7.
 */
function byteOf(c: v128): v128 {
  let h = v128.and(i16x8.add(i16x8.mul(c, i16x8.splat(31)), i16x8.splat(7)), i16x8.splat(127))
  h = v128.bitselect(i16x8.splat(75), h, i16x8.eq(c, i16x8.splat(0x212a)))
  h = v128.bitselect(i16x8.splat(73), h, i16x8.eq(c, i16x8.splat(0x130)))
  return v128.bitselect(v128.or(h, i16x8.splat(0x80)), c, i16x8.gt_u(c, i16x8.splat(127)))
}

/**
 * Writes the facts of digit run i (of the pairs at `region`) as a u32 at regionAt(len, 2): bits 0-7
 * the ASCII letters 1..4 chars before it (bit d - 1 for an upper-case one at distance d, bit 3 + d
 * for a lower-case one), bits 8-11 its first digit, bits 12-16 its length (31 for 31 or more).
 * Must agree with scan.ts's runFactsOf.
 */
function runFacts(bytes: usize, region: usize, i: i32): void {
  const st = load<i32>(region + (<usize>i << 3))
  const en = load<i32>(region + (<usize>i << 3) + 4)
  let f: u32 = 0
  for (let d = 1; d <= 4 && d <= st; d++) {
    const c = <u32>load<u8>(bytes + <usize>(st - d))
    if (c - 65 < 26) f |= 1 << (d - 1)
    else if (c - 97 < 26) f |= 1 << (3 + d)
  }
  f |= (<u32>load<u8>(bytes + <usize>st) - 48) << 8
  f |= <u32>min(en - st, 31) << 12
  store<u32>(region + 2 * REGION_BYTES + (<usize>i << 2), f)
}

/**
 * The one pass over the UTF-16 text, over words [w0, w1) (64 chars each, at most BLOCK_WORDS;
 * called for consecutive blocks from w0 = 0 to the last word, each block's chars staged at TEXT):
 * writes the block's bytes (see bytesAt) and the runs every big text needs that end in the block,
 * as [start, end] i32 pairs at regionAt(len, kind): ASCII digits (0), non-ASCII chars (1); see
 * written(kind).
 */
export function basics(len: i32, w0: i32, w1: i32): void {
  const bytes = bytesAt()
  const words = (len + 63) >> 6
  const regionDigit = regionAt(len, 0)
  const regionNonAscii = regionAt(len, 1)
  if (w0 == 0) {
    openDigit = -1
    openNonAscii = -1
    carryDigit = 0
    carryNonAscii = 0
  }
  nDigit = 0
  nNonAscii = 0
  for (let w = w0; w < w1; w++) {
    const p = TEXT + (<usize>(w - w0) << 7)
    const q = bytes + (<usize>w << 6)
    let d: u64 = 0
    let n: u64 = 0
    for (let k = 0; k < 4; k++) {
      const a = v128.load(p + <usize>(k << 5))
      const b = v128.load(p + <usize>(k << 5) + 16)
      // (x & 0xff80) == 0 for ASCII: signed compares only (an unsigned one is several instructions on x64)
      const high = ~(<u64>i8x16.bitmask(i8x16.narrow_i16x8_s(i16x8.eq(v128.and(a, i16x8.splat(-128)), i16x8.splat(0)), i16x8.eq(v128.and(b, i16x8.splat(-128)), i16x8.splat(0))))) & 0xffff
      // ASCII-only (most of most texts): the chars are the bytes
      const v = high == 0 ? i8x16.narrow_i16x8_u(a, b) : i8x16.narrow_i16x8_u(byteOf(a), byteOf(b))
      v128.store(q + <usize>(k << 4), v)
      const sh = <u64>(k << 4)
      // non-ASCII bytes are 0x80 and up: not digits
      // '0'..'9' moved to the bottom of the signed range (-128..-119): one signed compare
      d |= (<u64>i8x16.bitmask(i8x16.lt_s(i8x16.sub(v, i8x16.splat(-80)), i8x16.splat(-118)))) << sh
      n |= high << sh
    }
    if (w == words - 1 && (len & 63) != 0) {
      const valid = ((<u64>1) << (<u64>(len & 63))) - 1
      d &= valid
      n &= valid
    }
    const base = w << 6
    if ((d | carryDigit) != 0) {
      cursor = nDigit
      openDigit = transitions(d, carryDigit, base, openDigit, regionDigit)
      // facts of the runs that ended here, while their bytes are in cache
      for (let i = nDigit; i < cursor; i++) runFacts(bytes, regionDigit, i)
      nDigit = cursor
    }
    if ((n | carryNonAscii) != 0) {
      cursor = nNonAscii
      openNonAscii = transitions(n, carryNonAscii, base, openNonAscii, regionNonAscii)
      nNonAscii = cursor
    }
    carryDigit = d >> 63
    carryNonAscii = n >> 63
  }
  if (w1 == words) {
    if (openDigit >= 0) {
      nDigit = emit(regionDigit, nDigit, openDigit, len)
      runFacts(bytes, regionDigit, nDigit - 1)
    }
    if (openNonAscii >= 0) nNonAscii = emit(regionNonAscii, nNonAscii, openNonAscii, len)
  }
}

// segments(): which word each of FAM_SLOTS slots of the members cache holds (or -1)
const FAM_SLOTS: i32 = 16
const SLOT_WORD: usize = FAM_CACHE + <usize>FAM_SLOTS * 8 * <usize>MAX_FAMILIES
/** How many families segments() is cutting (their tables at FAMILIES). */
let famCount: i32 = 0

/**
 * The members of family f (char set at FAMILIES + 16 f) in word w (64 chars) as a bit word, from a
 * small cache by word that holds every family's (classified together): an edge search may walk
 * back and forth over a few words, for one family after another.
 */
function familyBits(w: i32, len: i32, f: i32): u64 {
  const slot = <usize>(w & (FAM_SLOTS - 1))
  const at = FAM_CACHE + (slot * <usize>MAX_FAMILIES << 3)
  if (load<i32>(SLOT_WORD + (slot << 2)) != w) {
    store<i32>(SLOT_WORD + (slot << 2), w)
    const p = bytesAt() + (<usize>w << 6)
    const lowNibble = i8x16.splat(0x0f)
    const hiBit = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0)
    const zero = i8x16.splat(0)
    for (let g = 0; g < famCount; g++) store<u64>(at + (<usize>g << 3), 0)
    for (let k = 0; k < 4; k++) {
      const v = v128.load(p + <usize>(k << 4))
      const lo = v128.and(v, lowNibble)
      // non-ASCII bytes (0x80 and up) have no bit here: never members
      const hiBits = i8x16.swizzle(hiBit, v128.and(i16x8.shr_u(v, 4), lowNibble))
      for (let g = 0; g < famCount; g++) {
        const m = <u64>i8x16.bitmask(i8x16.ne(v128.and(i8x16.swizzle(v128.load(FAMILIES + (<usize>g << 4)), lo), hiBits), zero))
        store<u64>(at + (<usize>g << 3), load<u64>(at + (<usize>g << 3)) | (m << (<u64>(k << 4))))
      }
    }
    if (w == ((len + 63) >> 6) - 1 && (len & 63) != 0) {
      const valid = ((<u64>1) << (<u64>(len & 63))) - 1
      for (let g = 0; g < famCount; g++) store<u64>(at + (<usize>g << 3), load<u64>(at + (<usize>g << 3)) & valid)
    }
  }
  return load<u64>(at + (<usize>f << 3))
}

/** The start of family f's run of members that ends at pos (pos itself when the char before is none). */
function leftEdge(pos: i32, len: i32, f: i32): i32 {
  let i = pos - 1
  while (i >= 0) {
    const w = i >> 6
    const b = <u64>(i & 63)
    // non-members at or below bit b
    const zeros = ~familyBits(w, len, f) & (b == 63 ? ~(<u64>0) : ((<u64>2) << b) - 1)
    if (zeros != 0) return (w << 6) + 64 - <i32>clz(zeros)
    i = (w << 6) - 1
  }
  return 0
}

/** The first non-member of family f at or after pos (len when none). */
function rightEdge(pos: i32, len: i32, f: i32): i32 {
  let i = pos
  while (i < len) {
    const w = i >> 6
    const zeros = ~familyBits(w, len, f) & (~(<u64>0) << (<u64>(i & 63)))
    if (zeros != 0) return min((w << 6) + <i32>ctz(zeros), len)
    i = (w + 1) << 6
  }
  return len
}

/** Whether byte b (see bytesAt) is in the char set whose table is at `table` (as at SET). */
// @ts-ignore: decorator
@inline
function isMember(table: usize, b: u32): bool {
  return b < 128 && ((<u32>load<u8>(table + <usize>(b & 15)) >> (b >> 4)) & 1) != 0
}

/** Writes family f's open segment as [start, end, digits, runs, pure] at its output. */
function closeSegment(out: usize, f: i32): void {
  const s = FAM_STATE + (<usize>f << 5)
  const k = load<i32>(s + 16)
  const o = out + (<usize>k << 2)
  const st = load<i32>(s)
  const e = load<i32>(s + 4)
  const digits = load<i32>(s + 8)
  store<i32>(o, st)
  store<i32>(o + 4, e)
  store<i32>(o + 8, digits)
  store<i32>(o + 12, load<i32>(s + 12))
  store<i32>(o + 16, digits == e - st ? 1 : 0)
  store<i32>(s + 16, k + 5)
}

/**
 * The segments of nf families (char sets at FAMILIES; digits among each) around the n digit runs
 * at `runsAt` ([start, end] i32 pairs, in order), in one walk over the runs: each maximal run of a
 * family's chars (ASCII) that holds a digit, as [start, end, digits, runs, pure] i32s at out +
 * f * stride for family f (pure = 1 when the segment is digits only). Returns nothing; count(f)
 * tells how many ints each got. Reads the bytes basics() wrote.
 */
export function segments(len: i32, runsAt: usize, n: i32, nf: i32, out: usize, stride: usize): void {
  famCount = nf
  for (let slot = 0; slot < FAM_SLOTS; slot++) store<i32>(SLOT_WORD + (<usize>slot << 2), -1)
  for (let f = 0; f < nf; f++) {
    store<i32>(FAM_STATE + (<usize>f << 5) + 4, -1)
    store<i32>(FAM_STATE + (<usize>f << 5) + 16, 0)
  }
  for (let i = 0; i < n; i++) {
    const rs = load<i32>(runsAt + (<usize>i << 3))
    const re = load<i32>(runsAt + (<usize>i << 3) + 4)
    for (let f = 0; f < nf; f++) {
      const s = FAM_STATE + (<usize>f << 5)
      const e = load<i32>(s + 4)
      if (rs < e) {
        // the run lies in the open segment
        store<i32>(s + 8, load<i32>(s + 8) + re - rs)
        store<i32>(s + 12, load<i32>(s + 12) + 1)
        continue
      }
      if (e >= 0) closeSegment(out + <usize>f * stride, f)
      // most runs end where the chars around them are no members (digit-dense tables): no search
      const table = FAMILIES + (<usize>f << 4)
      store<i32>(s, rs > 0 && isMember(table, <u32>load<u8>(bytesAt() + <usize>(rs - 1))) ? leftEdge(rs, len, f) : rs)
      store<i32>(s + 4, re < len && isMember(table, <u32>load<u8>(bytesAt() + <usize>re)) ? rightEdge(re, len, f) : re)
      store<i32>(s + 8, re - rs)
      store<i32>(s + 12, 1)
    }
  }
  for (let f = 0; f < nf; f++) if (load<i32>(FAM_STATE + (<usize>f << 5) + 4) >= 0) closeSegment(out + <usize>f * stride, f)
}

/**
 * A family's segments ([start, end, digits, runs, pure] i32s: `ints` of them at `segs`, in text
 * order) grouped for the length walks (see Buckets in scan.ts), written at `out`: start[66] (offsets
 * into `order` by the digits of single-run segments, 0..64), mstart[groups + 1] (into `multi` by the
 * digits of the others, the last group all above), then order ([start, end, first run] per single-run
 * segment of at most 64 digits) and multi ([start, end, digits, first run, runs] per other segment),
 * each group in text order. Returns how many ints it wrote.
 */
export function bucketize(segs: usize, ints: i32, out: usize, groups: i32): i32 {
  const start = out
  const mstart = out + 66 * 4
  memory.fill(start, 0, 4 * (66 + groups + 1))
  for (let k = 0; k < ints; k += 5) {
    const digits = load<i32>(segs + (<usize>k << 2) + 8)
    if (load<i32>(segs + (<usize>k << 2) + 12) == 1 && digits <= 64) {
      const c = start + (<usize>(digits + 1) << 2)
      store<i32>(c, load<i32>(c) + 1)
    } else {
      const c = mstart + (<usize>(min(digits, groups - 1) + 1) << 2)
      store<i32>(c, load<i32>(c) + 1)
    }
  }
  for (let l = 1; l < 66; l++) store<i32>(start + (<usize>l << 2), load<i32>(start + (<usize>l << 2)) + load<i32>(start + (<usize>(l - 1) << 2)))
  for (let d = 1; d <= groups; d++) store<i32>(mstart + (<usize>d << 2), load<i32>(mstart + (<usize>d << 2)) + load<i32>(mstart + (<usize>(d - 1) << 2)))
  const order = mstart + (<usize>(groups + 1) << 2)
  const singles = load<i32>(start + 65 * 4)
  const multi = order + (<usize>(3 * singles) << 2)
  // fill cursors: the group starts, kept past the end of the output while filling
  const fill = multi + (<usize>(5 * load<i32>(mstart + (<usize>groups << 2))) << 2)
  memory.copy(fill, start, 4 * (66 + groups + 1))
  const mfill = fill + 66 * 4
  let r = 0
  for (let k = 0; k < ints; k += 5) {
    const seg = segs + (<usize>k << 2)
    const digits = load<i32>(seg + 8)
    const runs = load<i32>(seg + 12)
    if (runs == 1 && digits <= 64) {
      const c = fill + (<usize>digits << 2)
      const o = order + (<usize>(load<i32>(c) * 3) << 2)
      store<i32>(c, load<i32>(c) + 1)
      store<i32>(o, load<i32>(seg))
      store<i32>(o + 4, load<i32>(seg + 4))
      store<i32>(o + 8, r)
    } else {
      const c = mfill + (<usize>min(digits, groups - 1) << 2)
      const o = multi + (<usize>(load<i32>(c) * 5) << 2)
      store<i32>(c, load<i32>(c) + 1)
      store<i32>(o, load<i32>(seg))
      store<i32>(o + 4, load<i32>(seg + 4))
      store<i32>(o + 8, digits)
      store<i32>(o + 12, r)
      store<i32>(o + 16, runs)
    }
    r += runs
  }
  return <i32>((fill - out) >> 2)
}

/** How many ints the last segments() call wrote for family f. */
export function count(f: i32): i32 {
  return load<i32>(FAM_STATE + (<usize>f << 5) + 16)
}

/**
 * Where an ASCII literal of m bytes (at LIT, with at LIT + LIT_MAX a mask per byte: 0x20 to match
 * either case of a letter, else 0) starts, over words [w0, w1) of the text (called for consecutive
 * blocks): writes the start offsets as i32 at regionAt(len, 0), in order, overlapping ones too,
 * and returns how many. Compares the literal's first and last byte at 16 offsets a step, then
 * checks those candidates byte by byte. Reads the bytes basics() wrote (a non-ASCII char is never
 * equal to an ASCII one there).
 */
export function literal(len: i32, m: i32, w0: i32, w1: i32): i32 {
  const bytes = bytesAt()
  const out = regionAt(len, 0)
  const first = i8x16.splat(load<i8>(LIT))
  const firstFold = i8x16.splat(load<i8>(LIT + <usize>LIT_MAX))
  const last = i8x16.splat(load<i8>(LIT + <usize>(m - 1)))
  const lastFold = i8x16.splat(load<i8>(LIT + <usize>LIT_MAX + <usize>(m - 1)))
  // candidate starts i need i + m <= len
  const end = min(w1 << 6, len - m + 1)
  let n = 0
  for (let i = w0 << 6; i < end; i += 16) {
    const a = v128.or(v128.load(bytes + <usize>i), firstFold)
    const b = v128.or(v128.load(bytes + <usize>(i + m - 1)), lastFold)
    let hits = <u32>i8x16.bitmask(v128.and(i8x16.eq(a, first), i8x16.eq(b, last)))
    if (i + 16 > end) hits &= (<u32>1 << <u32>(end - i)) - 1
    while (hits != 0) {
      const at = i + <i32>ctz(hits)
      hits &= hits - 1
      let k = 1
      while (k < m - 1 && (load<u8>(bytes + <usize>(at + k)) | load<u8>(LIT + <usize>LIT_MAX + <usize>k)) == load<u8>(LIT + <usize>k)) k++
      if (k >= m - 1) {
        store<i32>(out + (<usize>n << 2), at)
        n++
      }
    }
  }
  return n
}

// keywords(): its table's parts (see index.ts keywordTable). Keywords starting with an ASCII char
// are found by the classes of a candidate's first four bytes (hashed to 18 bits, a 32 KB bit map;
// buckets of 4 hash values), the others by their first two bytes (15 bits).
const KW_FIRST: usize = KW + 16
const KW_BITS_A: usize = KW + 1024
const KW_BITS_N: usize = KW_BITS_A + 65536
const KW_HEAD_A: usize = KW_BITS_N + 4096
const KW_HEAD_N: usize = KW_HEAD_A + 4 * 65537
/** Where the last keywords() call stopped (its `to` when it got there; else the position to resume at). */
let kwStop: i32 = 0

export function keywordStop(): i32 {
  return kwStop
}

/** ASCII letters and digits as a classify() table: bit h of byte l for char 16h + l. */
const ALNUM = i8x16(-88, -8, -8, -8, -8, -8, -8, -8, -8, -8, -16, 80, 80, 80, 80, 80)

/** ASCII letters as a classify() table. */
const LETTER = i8x16(-96, -16, -16, -16, -16, -16, -16, -16, -16, -16, -16, 80, 80, 80, 80, 80)

function isAlnum(b: u32): bool {
  return b - 48 < 10 || (b | 0x20) - 97 < 26
}

function isLetter(b: u32): bool {
  return (b | 0x20) - 97 < 26
}

/**
 * Where the table's keywords occur in positions [from, to) of the text (case-insensitively, as
 * bytes; an ASCII alnum first or last char must stand at a word edge, unless the keyword's flags
 * say otherwise: see keywordTable): writes [position, keyword
 * id] i32 pairs at regionAt(len, 0), by position, and returns how many. Stops early when the
 * region is nearly full (see keywordStop). Candidates are the positions whose byte may start a
 * keyword (the table's first-byte set) and that do not continue a word. A candidate starting with
 * an ASCII char looks up the classes of its first four bytes (an ASCII letter or digit, folded; any
 * other ASCII char 0; a non-ASCII one 0x80), a non-ASCII one its first two bytes: a bit says
 * whether a keyword may start so, and its bucket lists them (32-byte
 * entries: masks and values of the first 8 bytes, b | mask == val; id; the rest's masks and values;
 * length; whether it must end a word). Reads the bytes basics() wrote.
 */
export function keywords(len: i32, from: i32, to: i32): i32 {
  const bytes = bytesAt()
  const out = regionAt(len, 0)
  const first = v128.load(KW_FIRST)
  const high = (load<u32>(KW + 12) & 1) != 0 ? i8x16.splat(-1) : i8x16.splat(0)
  const letterEdges = (load<u32>(KW + 12) & 2) != 0
  const entries = KW + <usize>load<u32>(KW)
  // room for every keyword at the last position
  const cap = <i32>(REGION_BYTES >> 3) - 8192
  const lowNibble = i8x16.splat(0x0f)
  const hiBit = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0)
  const zero = i8x16.splat(0)
  let n = 0
  const end = min(to, len)
  for (let w = from >> 6; (w << 6) < end; w++) {
    const p = bytes + (<usize>w << 6)
    // ASCII letters and digits (a), and the bytes that may start a keyword (f), in one go
    // and each byte's class for the lookups below (of the next word's first 16 too): an ASCII
    // letter or digit folded, any other ASCII char 0, a non-ASCII one 0x80
    let a: u64 = 0
    let f: u64 = 0
    for (let k = 0; k < 5; k++) {
      const v = v128.load(p + <usize>(k << 4))
      const lo = v128.and(v, lowNibble)
      const hiBits = i8x16.swizzle(hiBit, v128.and(i16x8.shr_u(v, 4), lowNibble))
      const alnumV = i8x16.ne(v128.and(i8x16.swizzle(ALNUM, lo), hiBits), zero)
      const isHigh = i8x16.lt_s(v, zero)
      v128.store(KW_SCRATCH + <usize>(k << 4), v128.or(v128.and(alnumV, v128.or(v, i8x16.splat(0x20))), v128.and(isHigh, i8x16.splat(-128))))
      if (k == 4) break
      const sh = <u64>(k << 4)
      a |= (<u64>i8x16.bitmask(alnumV)) << sh
      f |= (<u64>i8x16.bitmask(v128.or(i8x16.ne(v128.and(i8x16.swizzle(first, lo), hiBits), zero), v128.and(isHigh, high)))) << sh
    }
    // past the text: 0 (no keyword char; a word edge)
    if ((w << 6) + 80 > len) memory.fill(KW_SCRATCH + <usize>max(0, len - (w << 6)), 0, <usize>(80 - max(0, len - (w << 6))))
    const prev = (a << 1) | (w > 0 && isAlnum(<u32>load<u8>(p - 1)) ? 1 : 0)
    let cand = f & ~(a & prev)
    if (letterEdges) {
      // entries that only need no letter before: letters after a digit start too
      let l: u64 = 0
      for (let k = 0; k < 4; k++) l |= (<u64>i8x16.bitmask(i8x16.ne(v128.and(i8x16.swizzle(LETTER, v128.and(v128.load(p + <usize>(k << 4)), lowNibble)), i8x16.swizzle(hiBit, v128.and(i16x8.shr_u(v128.load(p + <usize>(k << 4)), 4), lowNibble))), zero))) << (<u64>(k << 4))
      cand |= f & l & ~((l << 1) | (w > 0 && isLetter(<u32>load<u8>(p - 1)) ? 1 : 0))
    }
    const base = w << 6
    if (base < from) cand &= ~(<u64>0) << (<u64>(from - base))
    if (base + 64 > end) cand &= ((<u64>1) << (<u64>(end - base))) - 1
    while (cand != 0) {
      const i = base + <i32>ctz(cand)
      cand &= cand - 1
      if (n >= cap) {
        kwStop = i
        return n
      }
      const q = bytes + <usize>i
      const b0 = <u32>load<u8>(q)
      let h: u32
      let head: usize
      if (b0 < 0x80) {
        // the classes of its first four bytes
        h = (load<u32>(KW_SCRATCH + <usize>(i - base)) * 0x9e3779b1) >> 14
        if ((load<u8>(KW_BITS_A + <usize>(h >> 3)) & (1 << (h & 7))) == 0) continue
        head = KW_HEAD_A + (<usize>(h >> 2) << 2)
      } else {
        // bytes past the text read as 0
        const b1 = i + 1 < len ? <u32>load<u8>(q + 1) : 0
        h = (((b1 << 8) | b0) * 0x9e3779b1) >> 17
        if ((load<u8>(KW_BITS_N + <usize>(h >> 3)) & (1 << (h & 7))) == 0) continue
        head = KW_HEAD_N + (<usize>h << 2)
      }
      const e1 = load<u32>(head + 4)
      for (let e = load<u32>(head); e < e1; e++) {
        const d = entries + (<usize>e << 5)
        if ((load<u64>(q) | load<u64>(d)) != load<u64>(d + 8)) continue
        const m = <i32>load<u16>(d + 24)
        if (i + m > len) continue
        if (m > 8) {
          const pat = KW + <usize>load<u32>(d + 20) - 16
          let k = 8
          while (k < m && (<u32>load<u8>(q + <usize>k) | <u32>load<u8>(pat + <usize>(k << 1))) == <u32>load<u8>(pat + <usize>(k << 1) + 1)) k++
          if (k < m) continue
        }
        const flags = <u32>load<u8>(d + 26)
        // a keyword ending in an ASCII letter or digit must end a word (flag 1), one starting with
        // one must start a word unless only a letter may not come before it (flag 2)
        if ((flags & 1) != 0 && i + m < len && isAlnum(<u32>load<u8>(q + <usize>m))) continue
        if (letterEdges && (flags & 2) == 0 && i > 0 && isAlnum(b0) && isAlnum(<u32>load<u8>(q - 1))) continue
        store<i32>(out + (<usize>n << 3), i)
        store<i32>(out + (<usize>n << 3) + 4, load<i32>(d + 16))
        n++
      }
    }
  }
  kwStop = to
  return n
}

/**
 * Line and column (both from 1; columns in UTF-16 units) of n offsets (i32s at `at`, ascending),
 * written as i32 pairs at `out`, from the bytes basics() wrote, in one sweep up to the last offset:
 * newlines are counted 16 at a time (byte counters, added up every 255 steps); the line of an offset
 * starts after the last newline before it, found backwards, no further than the offset before.
 */
export function lineCols(len: i32, at: usize, n: i32, out: usize): void {
  const bytes = bytesAt()
  const newline = i8x16.splat(10)
  let pos = 0
  let line = 1
  let lineStart = 0
  for (let k = 0; k < n; k++) {
    const off = min(load<i32>(at + (<usize>k << 2)), len)
    const from = pos
    const before = line
    while (pos + 16 <= off) {
      let acc = i8x16.splat(0)
      const stop = min(off, pos + 255 * 16)
      while (pos + 16 <= stop) {
        // a newline's lane is -1: subtracting counts it
        acc = i8x16.sub(acc, i8x16.eq(v128.load(bytes + <usize>pos), newline))
        pos += 16
      }
      const sums = i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(acc))
      line += i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 2) + i32x4.extract_lane(sums, 3)
    }
    while (pos < off) {
      if (load<u8>(bytes + <usize>pos) == 10) line++
      pos++
    }
    if (line != before) {
      let s = off - 1
      while (s >= from && load<u8>(bytes + <usize>s) != 10) s--
      lineStart = s + 1
    }
    store<i32>(out + (<usize>k << 3), line)
    store<i32>(out + (<usize>k << 3) + 4, off - lineStart + 1)
  }
}
