import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { bucketize, runFactsOf } from '../../src/detector/scan'
import { CASE7 } from '../../src/detector/chars'
import { askedPasses, basicRuns, digitSegments, keywordHits, keywordTable, lineColumns, literalStarts, prefetchPasses, releaseScanCore, scanCoreBytes, setRuns, trigramBitmap, type BytePass } from '../../src/detector/wasm'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Plain reference: maximal runs of the set's chars (non-ASCII ones when nonAscii), at least minLen long. */
function refRuns(text: string, set: Uint8Array, nonAscii: boolean, minLen: number): number[] {
  const out: number[] = []
  let i = 0
  const member = (c: number) => (c < 128 ? set[c] === 1 : nonAscii)
  while (i < text.length) {
    if (!member(text.charCodeAt(i))) {
      i++
      continue
    }
    const st = i
    while (i < text.length && member(text.charCodeAt(i))) i++
    if (i - st >= minLen) out.push(st, i)
  }
  return out
}

/** Plain reference of the gram pass: bit g of 21-bit trigrams of 7-bit folded chars. */
function refGrams(text: string, fold: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 << 18)
  let g = 0
  for (let i = 0; i < text.length; i++) {
    g = ((g << 7) | fold[text.charCodeAt(i)]) & 0x1fffff
    out[g >> 3] |= 1 << (g & 7)
  }
  return out
}

// chars chosen to hit every nibble pair that matters: ASCII of each high nibble, Latin-1, and code
// units whose low byte is ASCII or that are negative as int16 (U+8000.., surrogates)
const ALPHABET = ['a', 'Z', '0', '9', ' ', '\n', '\t', '-', '.', ':', '=', '\x00', '\x7f', 'é', 'ÿ', '\u0130', '字', '\u4e41', '\uac00', '\uffff', '\ud83d', '\ude00']

function randomText(r: () => number, len: number, runny: boolean): string {
  let s = ''
  while (s.length < len) {
    const ch = ALPHABET[Math.floor(r() * ALPHABET.length)]
    // long runs of one char cross the 64-char words in every alignment
    s += runny && r() < 0.1 ? ch.repeat(1 + Math.floor(r() * 150)) : ch
  }
  return s.slice(0, len)
}

function randomSet(r: () => number): Uint8Array {
  const set = new Uint8Array(128)
  const density = r()
  for (let c = 0; c < 128; c++) if (r() < density) set[c] = 1
  return set
}

describe('scan core (WebAssembly)', () => {
  it('finds the same maximal runs as a plain scan, for any set, minimum length and alignment', () => {
    const r = rng(11)
    let runs = 0
    for (let t = 0; t < 400; t++) {
      const text = randomText(r, Math.floor(r() * 700), t % 2 === 0)
      const set = randomSet(r)
      const nonAscii = r() < 0.5
      const minLen = [1, 2, 3, 8, 24, 63, 64, 65, 100, 130][t % 10]
      const got = Array.from(setRuns(text, set, nonAscii, minLen))
      expect(got).toEqual(refRuns(text, set, nonAscii, minLen))
      runs += got.length / 2
    }
    expect(runs).toBeGreaterThan(2000)
  })

  it('classifies every UTF-16 code unit: ASCII by code, everything else only as non-ASCII, in every block', () => {
    // every code unit in order, three times over (each 64 Ki-char block staged on its own), then a part word
    const all = Array.from({ length: 65536 }, (_, c) => String.fromCharCode(c)).join('')
    const text = all + all + all + all.slice(0, 100)
    for (let c = 0; c < 128; c++) {
      const set = new Uint8Array(128)
      set[c] = 1
      const want = [c, c + 1, 65536 + c, 65536 + c + 1, 131072 + c, 131072 + c + 1]
      if (c < 100) want.push(196608 + c, 196608 + c + 1)
      expect(Array.from(setRuns(text, set, false, 1))).toEqual(want)
    }
    expect(Array.from(setRuns(text, new Uint8Array(128), true, 1))).toEqual([128, 65536, 65536 + 128, 131072, 131072 + 128, 196608])
  })

  it('finds digit and non-ASCII runs in one pass, as a plain scan does', () => {
    const r = rng(23)
    const digits = new Uint8Array(128)
    for (let c = 48; c < 58; c++) digits[c] = 1
    let runs = 0
    for (let t = 0; t < 300; t++) {
      const text = randomText(r, Math.floor(r() * 900), t % 2 === 0)
      const got = basicRuns(text)
      expect(Array.from(got.digits)).toEqual(refRuns(text, digits, false, 1))
      expect(Array.from(got.nonAscii)).toEqual(refRuns(text, new Uint8Array(128), true, 1))
      runs += got.digits.length + got.nonAscii.length
    }
    expect(runs / 2).toBeGreaterThan(14_000)
  })

  it('tells the line and column of offsets as counting newlines does, across blocks and at the text edges', () => {
    const r = rng(29)
    let checked = 0
    for (let t = 0; t < 40; t++) {
      const text = randomText(r, t % 8 === 0 ? 70_000 + Math.floor(r() * 70_000) : Math.floor(r() * 3000), t % 2 === 0)
      const offsets = Int32Array.from({ length: 1 + Math.floor(r() * 300) }, () => Math.floor(r() * (text.length + 1)))
      offsets[0] = text.length
      if (offsets.length > 1) offsets[1] = 0
      offsets.sort()
      const got = lineColumns(text, offsets)
      offsets.forEach((o, k) => {
        const before = text.slice(0, o)
        const line = before.split('\n').length
        const column = o - (before.lastIndexOf('\n') + 1) + 1
        expect([got[2 * k], got[2 * k + 1]], `text ${t}, offset ${o}`).toEqual([line, column])
        checked++
      })
    }
    expect(checked).toBeGreaterThan(3000)
    // nothing but newlines: every byte counter fills up between two sums
    const lines = '\n'.repeat(9000) + 'x'
    expect(Array.from(lineColumns(lines, Int32Array.from([0, 4500, 9000, 9001])))).toEqual([1, 1, 4501, 1, 9001, 1, 9001, 2])
  })

  it('carries runs across the 64 Ki-char blocks it scans in', () => {
    const r = rng(31)
    const parts: string[] = []
    let len = 0
    for (const [seam, run] of [
      [65536, '7'.repeat(70)],
      [131072, '\n'.repeat(70)],
      [196608, '字'.repeat(70)],
      [262144, 'Z'.repeat(70)],
      [327680, 'Z'.repeat(200)],
    ] as const) {
      // filler, then a run straddling the seam between two blocks
      const filler = randomText(r, seam - 35 - len, true)
      parts.push(filler, run)
      len += filler.length + run.length
    }
    const text = parts.join('') + randomText(r, 5000, true)
    const digits = new Uint8Array(128)
    for (let c = 48; c < 58; c++) digits[c] = 1
    const got = basicRuns(text)
    expect(Array.from(got.digits)).toEqual(refRuns(text, digits, false, 1))
    expect(Array.from(got.nonAscii)).toEqual(refRuns(text, new Uint8Array(128), true, 1))
    const upper = new Uint8Array(128).fill(1, 65, 91)
    for (const minLen of [1, 8, 64, 65]) expect(Array.from(setRuns(text, upper, false, minLen))).toEqual(refRuns(text, upper, false, minLen))
    expect(refRuns(text, upper, false, 65).length).toBeGreaterThanOrEqual(2)
  })

  it('cuts the same digit segments as a plain scan, for any charsets holding the digits, all in one walk, and groups them by digits', () => {
    const r = rng(41)
    const digits = new Uint8Array(128).fill(1, 48, 58)
    let segs = 0
    for (let t = 0; t < 300; t++) {
      const text = randomText(r, Math.floor(r() * (t % 10 === 0 ? 9000 : 700)), t % 2 === 0)
      // one to ten sets (more than the core takes in one call), nested or not
      const sets = Array.from({ length: 1 + Math.floor(r() * 10) }, () => randomSet(r))
      for (const set of sets) set.fill(1, 48, 58)
      // few groups of multi-run segments, so that the last one (all above) fills too
      const got = digitSegments(text, basicRuns(text).digits, sets, 3)
      expect(got).toHaveLength(sets.length)
      sets.forEach((set, f) => {
        // plain reference: maximal runs of the set's ASCII chars that hold a digit
        const want: number[] = []
        for (let k = 0, runs = refRuns(text, set, false, 1); k < runs.length; k += 2) {
          const piece = text.slice(runs[k], runs[k + 1])
          const ds = refRuns(piece, digits, false, 1)
          if (ds.length === 0) continue
          let n = 0
          for (let j = 0; j < ds.length; j += 2) n += ds[j + 1] - ds[j]
          want.push(runs[k], runs[k + 1], n, ds.length / 2, n === piece.length ? 1 : 0)
        }
        expect(Array.from(got[f].segments), `text ${t}, set ${f}`).toEqual(want)
        // grouped by digits as scan.ts's own bucketize does
        const b = bucketize(got[f].segments, 3)
        expect(Array.from(got[f].buckets), `text ${t}, set ${f}: buckets`).toEqual([...b.start, ...b.mstart, ...b.order, ...b.multi])
        segs += want.length / 5
      })
    }
    expect(segs).toBeGreaterThan(20000)
  })

  it('knows the letters before each digit run, its first digit and its length, as the plain computation does', () => {
    const r = rng(43)
    const alphabet = [...ALPHABET, 'A', 'M', 'q', 'z', '@', '[', '`', '{', '1', '5', '\u212a', '\u0131']
    let runs = 0
    let lettered = 0
    for (let t = 0; t < 120; t++) {
      let text = ''
      // some across several 64 Ki-char blocks
      const len = Math.floor(r() * (t % 10 === 0 ? 160000 : 600))
      while (text.length < len) text += r() < 0.05 ? '7'.repeat(1 + Math.floor(r() * 40)) : alphabet[Math.floor(r() * alphabet.length)]
      const { digits, digitFacts } = basicRuns(text)
      const want = runFactsOf(text, digits)
      expect(Array.from(digitFacts), `text ${t}`).toEqual(Array.from(want))
      runs += want.length
      lettered += want.filter((f) => (f & 0xff) !== 0).length
    }
    expect(runs).toBeGreaterThan(5000)
    expect(lettered).toBeGreaterThan(1000)
  })

  it('computes passes ahead block by block with the same results, and remembers the passes asked for', () => {
    const r = rng(44)
    const table = keywordTable(['a-', 'za', '字字', 'z0:'])
    if (!table) throw new Error('no table')
    for (let t = 0; t < 6; t++) {
      // several 64 Ki-char blocks, runs crossing their seams
      const text = randomText(r, 150000 + Math.floor(r() * 80000), true)
      const passes: BytePass[] = []
      for (let k = 0; k < 4; k++) passes.push({ set: randomSet(r), nonAscii: r() < 0.3, minLen: 1 + Math.floor(r() * 90) })
      for (const lit of ['a', 'Z0', '-.', 'aZ9 ', '\n:=']) passes.push({ lit, ci: r() < 0.5 })
      passes.push({ kw: table })
      const other = passes[0] as { set: Uint8Array }
      const fresh = passes.map((p) => ('lit' in p ? literalStarts(text, p.lit, p.ci) : 'set' in p ? setRuns(text, p.set, p.nonAscii, p.minLen) : keywordHits(text, p.kw)))
      const freshOther = setRuns(text, other.set, true, 3)
      releaseScanCore()
      prefetchPasses(text, passes)
      // interleaved with a pass that was not computed ahead
      expect(Array.from(setRuns(text, other.set, true, 3))).toEqual(Array.from(freshOther))
      const ahead = passes.map((p) => ('lit' in p ? literalStarts(text, p.lit, p.ci) : 'set' in p ? setRuns(text, p.set, p.nonAscii, p.minLen) : keywordHits(text, p.kw)))
      for (let k = 0; k < passes.length; k++) expect(Array.from(ahead[k] ?? []), `text ${t}, pass ${k}`).toEqual(Array.from(fresh[k] ?? []))
      expect(fresh.some((f) => f !== null && f.length > 100)).toBe(true)
      expect(askedPasses()).toHaveLength(passes.length + 1)
      releaseScanCore()
      expect(askedPasses()).toEqual([])
    }
  })

  it('finds every start of an ASCII literal as indexOf or a case-insensitive RegExp does', () => {
    const r = rng(53)
    const alphabet = ['a', 'A', 'b', 'B', 'k', 'K', '\u212a', 's', '\u017f', '1', ':', '/', ' ', 'é', '字', '\u0141', 'a']
    let found = 0
    for (let t = 0; t < 400; t++) {
      let text = ''
      const len = Math.floor(r() * (t % 20 === 0 ? 70_000 : 600))
      while (text.length < len) text += alphabet[Math.floor(r() * alphabet.length)]
      const m = 1 + Math.floor(r() * 4)
      let lit = ''
      while (lit.length < m) lit += ['a', 'b', 'k', 'K', 's', '1', ':', '/', 'A'][Math.floor(r() * 9)]
      const ci = t % 2 === 0
      const want: number[] = []
      const re = new RegExp(lit.replace(/[/]/g, '\\/'), ci ? 'gi' : 'g')
      for (let m2 = re.exec(text); m2 !== null; m2 = re.exec(text)) {
        want.push(m2.index)
        re.lastIndex = m2.index + 1
      }
      expect(Array.from(literalStarts(text, lit, ci) as Int32Array)).toEqual(want)
      found += want.length
    }
    expect(found).toBeGreaterThan(5000)
    expect(literalStarts('abc', '字', false)).toBeNull()
    expect(literalStarts('abc', 'x'.repeat(65), false)).toBeNull()
  })

  it('finds every keyword at every place as a case-insensitive RegExp does, ASCII ones only at word edges', () => {
    // keywords of every kind the table takes apart: ASCII of 2-4+ chars (ending in a letter or
    // not), prefixes of each other, long ones (> 8 bytes), accented and Greek/Cyrillic letters
    // (cases with different bytes), CJK and Hangul (no word edges), one starting with punctuation
    const keywords = ['ip', 'qq', 'a#', 'tel', 'tel.', 'telefon', 'telephone number', 'no.', 'acc no', 'ssn', 'rč', 'tél', 'téléphone', 'αφμ', 'мир', 'µs', '電話', '전화', '전화번호', '番号', '#id', 'x-api-key']
    const table = keywordTable(keywords)
    expect(table).not.toBeNull()
    if (!table) return
    const isWord = (c: number) => /[0-9A-Za-z]/.test(String.fromCharCode(c))
    const refHits = (text: string): string[] => {
      const out: string[] = []
      keywords.forEach((k) => {
        const re = new RegExp(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iy')
        for (let i = 0; i + k.length <= text.length; i++) {
          re.lastIndex = i
          if (!re.test(text)) continue
          if (isWord(k.charCodeAt(0)) && i > 0 && isWord(text.charCodeAt(i - 1))) continue
          if (isWord(k.charCodeAt(k.length - 1)) && i + k.length < text.length && isWord(text.charCodeAt(i + k.length))) continue
          out.push(`${i}:${k}`)
        }
      })
      return out.sort()
    }
    const exact = keywords.map((k) => new RegExp(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iy'))
    const coreHits = (text: string): string[] => {
      const h = keywordHits(text, table)
      const out: string[] = []
      for (let i = 0; i < h.length; i += 2) {
        expect(i === 0 || h[i] >= h[i - 2]).toBe(true)
        // hits of keywords with a non-ASCII char are candidates the caller decides
        const re = exact[h[i + 1]]
        re.lastIndex = h[i]
        if (table.verify[h[i + 1]] && !re.test(text)) continue
        out.push(`${h[i]}:${keywords[h[i + 1]]}`)
      }
      return out.sort()
    }
    const r = rng(71)
    const fillers = [' ', 'a', 'Z', '9', '.', '-', '\n', 'é', 'É', 'ς', 'Σ', 'σ', 'µ', 'Μ', 'M', '\u212a', 'ſ', '字', '話', '가', '_', '#', ':']
    let found = 0
    for (let t = 0; t < 60; t++) {
      let text = ''
      const len = t % 10 === 0 ? 140_000 : 3000
      while (text.length < len) {
        const x = r()
        if (x < 0.25) text += [...keywords[Math.floor(r() * keywords.length)]].map((c) => (r() < 0.4 ? c.toUpperCase() : c)).join('')
        else if (x < 0.4) text += keywords[Math.floor(r() * keywords.length)].slice(0, 1 + Math.floor(r() * 3))
        else text += fillers[Math.floor(r() * fillers.length)]
      }
      const want = refHits(text)
      expect(coreHits(text), `text ${t}`).toEqual(want)
      found += want.length
    }
    expect(found).toBeGreaterThan(10000)
    // a keyword at every place fills the core's output many times over within one 64 Ki-char block
    const soup = '전화'.repeat(40000)
    expect(coreHits(soup)).toEqual(refHits(soup))
    expect(keywordTable([])).toBeNull()
    expect(keywordTable(['x'])).toBeNull()
  })

  it('keeps the runs of one text when another is loaded in between, and handles the empty text', () => {
    const digits = new Uint8Array(128)
    for (let c = 48; c < 58; c++) digits[c] = 1
    const a = 'call 555 0100 or 12'.repeat(50)
    const b = 'x'.repeat(10_000) + '42'
    expect(Array.from(setRuns(a, digits, false, 3))).toEqual(refRuns(a, digits, false, 3))
    expect(Array.from(setRuns(b, digits, false, 1))).toEqual([10_000, 10_002])
    expect(Array.from(setRuns(a, digits, false, 1))).toEqual(refRuns(a, digits, false, 1))
    expect(Array.from(setRuns('', digits, false, 1))).toEqual([])
  })

  it('marks the same trigrams as a plain gram pass over scan.ts\'s gram codes, across the seams of its four streams', () => {
    const r = rng(5)
    const dest = new Uint8Array(1 << 18)
    // (from 512 Ki chars on through flag bytes packed into bits)
    for (const len of [0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 1000, 4097, 50_001, 600_001]) {
      const text = randomText(r, len, false)
      trigramBitmap(text, dest)
      expect(Buffer.compare(Buffer.from(dest), Buffer.from(refGrams(text, CASE7)))).toBe(0)
    }
    // every code unit, each after every other one's predecessor: the SIMD gram code agrees with CASE7
    const all = Array.from({ length: 65536 }, (_, c) => String.fromCharCode(c, (c * 7919) & 0xffff)).join('')
    trigramBitmap(all, dest)
    expect(Buffer.compare(Buffer.from(dest), Buffer.from(refGrams(all, CASE7)))).toBe(0)
  })

  it('gives its memory back past a limit, and scans again afterwards', () => {
    const digits = new Uint8Array(128).fill(1, 48, 58)
    const text = 'no 12 and 345, '.repeat(40_000)
    const want = refRuns(text, digits, false, 1)
    expect(Array.from(basicRuns(text).digits)).toEqual(want)
    const held = scanCoreBytes()
    expect(held).toBeGreaterThan(2 * text.length)
    releaseScanCore(held) // at the limit: kept
    expect(scanCoreBytes()).toBe(held)
    releaseScanCore(held - 1)
    expect(scanCoreBytes()).toBe(0)
    expect(Array.from(basicRuns(text).digits)).toEqual(want)
    expect(Array.from(setRuns(text, digits, false, 3))).toEqual(refRuns(text, digits, false, 3))
  })

  it('is built from its source (core.wasm.ts is not stale)', () => {
    // exits 1 with a message when the committed module differs from a fresh compile
    execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' })
  })
})
