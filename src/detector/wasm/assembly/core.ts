// The detector's scan core (AssemblyScript, compiled by scripts/build-wasm.mjs into ../core.wasm.ts).
// It works on a copy of the text as UTF-16 code units at TEXT; see ../index.ts for the JS side.
//
// Memory: [0, 64 Ki) the gram fold table (CASE7 in scan.ts); [64 Ki, 320 Ki) the trigram bitmap;
// [320 Ki, +16) the char-set table of a runs() call; TEXT: the text; runs are written after it, at
// outAt(len).

const FOLD: usize = 0
export const TRIGRAMS: usize = 65536
const TRIGRAM_BYTES: usize = 262144
export const SET: usize = TRIGRAMS + TRIGRAM_BYTES
export const TEXT: usize = SET + 64

/** Where runs() writes its [start, end] pairs for a text of len chars: past the text's last 64-char block. */
export function outAt(len: i32): usize {
  return TEXT + (<usize>((len + 63) >> 6) << 7)
}

function gram(g: u32, p: usize): u32 {
  return ((g << 7) | <u32>load<u8>(FOLD + <usize>load<u16>(p))) & 0x1fffff
}

function mark(g: u32): void {
  const t = TRIGRAMS + (g >> 3)
  store<u8>(t, <u8>(load<u8>(t) | (<u32>1 << (g & 7))))
}

/**
 * Sets the trigram bit of every 7-bit-folded trigram of the text (the first two chars after zeros),
 * as scan.ts's gramPass did. Four interleaved streams over quarters of the text: one stream is bound
 * by its chain of dependent loads and stores, four overlap them (4 MB: 6.7 → 4.9 ms).
 */
export function grams(len: i32): void {
  memory.fill(TRIGRAMS, 0, TRIGRAM_BYTES)
  let p0 = TEXT
  let g0: u32 = 0
  const q = len >> 2
  if (q >= 2) {
    // streams 1..3 start two chars early to carry the context across their seams, unmarked
    let p1 = TEXT + (<usize>(q - 2) << 1)
    let p2 = TEXT + (<usize>(2 * q - 2) << 1)
    let p3 = TEXT + (<usize>(3 * q - 2) << 1)
    let g1 = gram(gram(0, p1), p1 + 2)
    let g2 = gram(gram(0, p2), p2 + 2)
    let g3 = gram(gram(0, p3), p3 + 2)
    p1 += 4
    p2 += 4
    p3 += 4
    const end0 = TEXT + (<usize>q << 1)
    while (p0 < end0) {
      g0 = gram(g0, p0)
      g1 = gram(g1, p1)
      g2 = gram(g2, p2)
      g3 = gram(g3, p3)
      mark(g0)
      mark(g1)
      mark(g2)
      mark(g3)
      p0 += 2
      p1 += 2
      p2 += 2
      p3 += 2
    }
    p0 = p3
    g0 = g3
  }
  const end = TEXT + (<usize>len << 1)
  while (p0 < end) {
    g0 = gram(g0, p0)
    mark(g0)
    p0 += 2
  }
}

/**
 * 64 chars from p as a bit word: bit i set when char i is in the set at SET (bit h of byte l: ASCII
 * char 16h + l) or, when high is all ones, is not ASCII. Chars are clamped to 255 before narrowing to
 * bytes (narrowing saturates as signed, which would turn U+8000.. into 0).
 */
function classify(p: usize, table: v128, high: v128): u64 {
  const lowNibble = i8x16.splat(0x0f)
  const hiBit = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0)
  const clamp = i16x8.splat(255)
  let word: u64 = 0
  for (let k = 0; k < 4; k++) {
    const a = i16x8.min_u(v128.load(p + <usize>(k << 5)), clamp)
    const b = i16x8.min_u(v128.load(p + <usize>(k << 5) + 16), clamp)
    const v = i8x16.narrow_i16x8_u(a, b)
    const lo = v128.and(v, lowNibble)
    const hi = v128.and(i16x8.shr_u(v, 4), lowNibble)
    const inSet = v128.and(i8x16.swizzle(table, lo), i8x16.swizzle(hiBit, hi))
    const m = v128.or(i8x16.ne(inSet, i8x16.splat(0)), v128.and(i8x16.lt_s(v, i8x16.splat(0)), high))
    word |= (<u64>i8x16.bitmask(m)) << (<u64>(k << 4))
  }
  return word
}

/**
 * Maximal runs of the set's chars at least minLen long, as [start, end] i32 pairs at outAt(len);
 * returns how many. Memory must reach past the text's last 64-char block (its chars past len are ignored).
 * A word is walked bit by bit only when a run may end in it: an erosion test (x & x >> 1 & ...)
 * finds whether a run of minLen lies inside, and the ones at its bottom continue the carried run.
 */
export function runs(len: i32, nonAscii: bool, minLen: i32): i32 {
  const table = v128.load(SET)
  const high = nonAscii ? i8x16.splat(-1) : i8x16.splat(0)
  const out = outAt(len)
  const words = (len + 63) >> 6
  let n = 0
  let run: i32 = 0
  let start: i32 = 0
  for (let w = 0; w < words; w++) {
    let x = classify(TEXT + (<usize>w << 7), table, high)
    if (w == words - 1 && (len & 63) != 0) x &= ((<u64>1) << (<u64>(len & 63))) - 1
    const base = w << 6
    if (x == 0) {
      if (run >= minLen) {
        store<i32>(out + (<usize>n << 3), start)
        store<i32>(out + (<usize>n << 3) + 4, base)
        n++
      }
      run = 0
      continue
    }
    if (x == 0xffffffffffffffff) {
      if (run == 0) start = base
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
      start = base + 64 - tail
      continue
    }
    let pos = 0
    while (pos < 64) {
      const y = x >> (<u64>pos)
      if ((y & 1) != 0) {
        const t = <i32>min(<i64>ctz(~y), <i64>(64 - pos))
        if (run == 0) start = base + pos
        run += t
        pos += t
        if (pos < 64) {
          if (run >= minLen) {
            store<i32>(out + (<usize>n << 3), start)
            store<i32>(out + (<usize>n << 3) + 4, base + pos)
            n++
          }
          run = 0
        }
      } else {
        // (only at bit 0: a run carried from the word before ends here)
        if (run >= minLen) {
          store<i32>(out + (<usize>n << 3), start)
          store<i32>(out + (<usize>n << 3) + 4, base + pos)
          n++
        }
        run = 0
        if (y == 0) break
        pos += <i32>ctz(y)
      }
    }
  }
  if (run >= minLen) {
    store<i32>(out + (<usize>n << 3), start)
    store<i32>(out + (<usize>n << 3) + 4, min(start + run, len))
    n++
  }
  return n
}
