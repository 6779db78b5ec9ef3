/**
 * The scan plans (segments, runs, literal runs, family runs, digit windows, keyword windows) must be
 * exact: for every pattern they return the same raw regex hits as a plain scan of the whole text.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { analyzeRegex, loadRegistry } from '../../src/detector/index'
import { digitRunPairs } from '../../src/detector/analyze'
import { compilePattern, FAMILIES, leadMask } from '../../src/detector/compiled'
import { rawHits, scanText, TextIndex, type Candidate } from '../../src/detector/scan'
import { pat, planHits, plainHits, rng } from './engine-helpers'

function corpus(examples: string[]): string[] {
  let licence = ''
  try {
    licence = readFileSync('/usr/share/common-licenses/GPL-3', 'utf8').slice(0, 20000)
  } catch {
    licence = 'This program is free software; you can redistribute it. '.repeat(200)
  }
  const r = rng(5)
  const pieces = ['', ' ', '-', '.', 'x', 'A', '9', '\n', ':', '@', '/', '(', ')', '+', '_', '가', '字', 'é']
  const mixed: string[] = []
  for (let i = 0; i < 400; i++) {
    const ex = examples[Math.floor(r() * examples.length)] ?? ''
    mixed.push(pieces[Math.floor(r() * pieces.length)] + ex + pieces[Math.floor(r() * pieces.length)])
    if (r() < 0.3) mixed.push(licence.slice(Math.floor(r() * 19000), Math.floor(r() * 19000) + 200))
  }
  const csv = Array.from({ length: 300 }, (_, i) => `${i},${Math.floor(r() * 1e10)},20${Math.floor(r() * 90 + 10)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)},${(r() * 1e4).toFixed(2)}`).join('\n')
  // dense digits (linear-pass indexes) and sparse digits (regex-seeded indexes)
  return [mixed.join(' '), mixed.join(''), csv + '\n' + mixed.slice(0, 50).join(','), licence + examples.join(' ')]
}

describe('scan plans are exact', () => {
  it('hand-written patterns over all plan kinds', () => {
    const defs = [
      pat({ id: 'ssn', pattern: '(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)' }),
      pat({ id: 'phone', pattern: '\\+?\\d{1,3}[ -]?\\(?\\d{2,4}\\)?[ -]?\\d{3,4}[ -]?\\d{4}' }),
      pat({ id: 'tok', pattern: 'tok_[A-Za-z0-9]{8,}' }),
      pat({ id: 'mail', pattern: '[a-z0-9.]{1,20}@[a-z0-9-]{1,20}(?:\\.[a-z]{2,6}){1,3}', flags: 'i' }),
      pat({ id: 'long', pattern: '(?<![A-Za-z0-9])[A-HJ-NP-Za-km-z1-9]{26,34}(?![A-Za-z0-9])' }),
      pat({ id: 'upper', pattern: '\\b[A-Z]{4}[A-Z0-9]{4}\\b' }),
      pat({ id: 'kr', pattern: '\\d{2,3}[가-힣]\\d{4}' }),
      pat({ id: 'free', pattern: '\\d+(?:\\.\\d+)?' }),
      pat({ id: 'ctx', pattern: '(?<!\\d)\\d{6}(?!\\d)', context: { keywords: ['code'], required: true } }),
    ]
    const compiled = defs.map((d) => {
      const r = compilePattern('t', d, 'inline')
      if (!r.ok) throw new Error(r.message)
      return r.pattern
    })
    expect(new Set(compiled.map((p) => p.plan.kind)).size).toBeGreaterThanOrEqual(4)
    const texts = corpus(['123-45-6789', '+82 (10) 1234 5678', 'tok_ABCDEFGH12', 'a.b@ex.com', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'DEUTDEFF', '12가3456', '3.14159'])
    for (const p of compiled) for (const t of texts) expect(planHits(p, t), `${p.fullId} (${p.plan.kind})`).toEqual(plainHits(p, t))
  })

  it('every built-in pattern', () => {
    // the built-in patterns ship with the repository: a registry that fails to load fails here
    const reg = loadRegistry()
    const patterns = reg.list()
    const texts = corpus(patterns.flatMap((p) => [...p.def.examples.match, ...p.def.examples.nomatch]))
    for (const p of patterns) for (const t of texts) expect(planHits(p, t), `${p.fullId} (${p.plan.kind})`).toEqual(plainHits(p, t))
  }, 120_000)
})

describe('byte passes computed ahead for big texts', () => {
  it('leave every scan\'s findings as they were, whichever selection scanned last', async () => {
    const { Engine } = await import('../../src/detector/index')
    const reg = loadRegistry()
    const engine = new Engine(reg, { hashKey: Buffer.alloc(32, 3) })
    const examples = reg.list().flatMap((p) => p.def.examples.match)
    const r = rng(21)
    const parts: string[] = []
    let len = 0
    for (const t of corpus(examples)) {
      parts.push(t)
      len += t.length
    }
    // past PREFETCH_MIN (2 Mi chars), in a different order each round
    const texts = [0, 1].map(() => {
      const out: string[] = []
      for (let n = 0; n < 2.3 * 2 ** 20; ) {
        const t = parts[Math.floor(r() * parts.length)]
        out.push(t)
        n += t.length
      }
      return out.join('\n')
    })
    expect(len).toBeGreaterThan(0)
    const sels = [{}, { namespaces: ['common', 'secrets'] }]
    const first = texts.map((t) => sels.map((o) => engine.find(t, o)))
    // the second round replays the passes each selection asked for in the first
    for (let i = 0; i < texts.length; i++) {
      for (let k = 0; k < sels.length; k++) {
        const again = engine.find(texts[i], sels[k])
        expect(again.length, `text ${i}, selection ${k}`).toBe(first[i][k].length)
        expect(again).toEqual(first[i][k])
      }
    }
    expect(first[0][0].length).toBeGreaterThan(1000)
  }, 120_000)
})

describe('piecewise segment scans of big texts', () => {
  it('give every segments-plan pattern the same hits, and scanText the same candidates, as one whole-text scan', () => {
    const reg = loadRegistry()
    // the built-ins, and segment patterns that take the plain segment walk, not the bucket walk
    const own = [
      pat({ id: 'phone', pattern: '\\+?\\d{1,3}[ -]?\\(?\\d{2,4}\\)?[ -]?\\d{3,4}[ -]?\\d{4}' }),
      pat({ id: 'pair', pattern: '\\d{3}[ -]\\d{4}' }),
      pat({ id: 'long', pattern: '(?<!\\d)\\d{2,80}(?!\\d)' }),
    ].map((d) => {
      const r = compilePattern('t', d, 'inline')
      if (!r.ok) throw new Error(r.message)
      return r.pattern
    })
    const patterns = [...reg.list(), ...own]
    // (digit-bounded with up to 80 digits: no bucket walk either)
    expect(own.every((p) => p.plan.kind === 'segments' && (!p.info?.digitBounded || p.info.maxDigits > 64))).toBe(true)
    const texts = corpus(patterns.flatMap((p) => [...p.def.examples.match, ...p.def.examples.nomatch]))
    const sorted = (xs: number[][]) => xs.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    let hits = 0
    // small pieces, so that segments start at piece edges too
    for (const [t, len] of texts.flatMap((t) => [[t, 997], [t, 61]] as const)) {
      const whole = new TextIndex(t)
      const pieced = new TextIndex(t, len)
      expect(whole.pieces).toBe(1)
      expect(pieced.pieces).toBeGreaterThan(8)
      for (const p of patterns) {
        if (p.plan.kind !== 'segments') continue
        const a: number[][] = []
        const b: number[][] = []
        rawHits(p, whole, (s, e) => a.push([s, e]))
        for (let k = 0; k < pieced.pieces; k++) rawHits(p, pieced, (s, e) => b.push([s, e]), k)
        expect(sorted(b), p.fullId).toEqual(sorted(a))
        hits += a.length
      }
      // the bucket walk (many segments) is among the paths taken
      expect((pieced as unknown as { _bucketMemo?: Map<number, unknown> })._bucketMemo?.size ?? 0).toBeGreaterThan(0)
      const key = (c: Candidate) => `${c.p.fullId}@${c.start}-${c.end}:${c.verified}:${c.confidence}`
      const verifier = (n: string) => reg.getVerifier(n)
      // (own patterns have no verifier)
      const one = scanText(t, patterns, verifier, true, new TextIndex(t)).map(key).sort()
      const many = scanText(t, patterns, verifier, true, new TextIndex(t, len)).map(key).sort()
      expect(many).toEqual(one)
    }
    expect(hits).toBeGreaterThan(1000)
  }, 120_000)
})

describe('regex analysis', () => {
  it('computes lengths, digits, literals and boundaries', () => {
    const a = analyzeRegex('(?<!\\d)\\d{6}-?[1-8]\\d{6}(?!\\d)', '')!
    expect(a).toMatchObject({ minLen: 13, maxLen: 14, minDigits: 13, maxDigits: 13, digitBounded: true, anchored: false })
    // consecutive items with few exact strings combine into longer (more selective) literals
    expect(analyzeRegex('(?:ghp|gho)_[A-Za-z0-9]{36}', '')!.requiredLiterals).toEqual(['ghp_', 'gho_'])
    expect(analyzeRegex('gh[us]_[A-Za-z0-9]{36}', '')!.requiredLiterals).toEqual(['ghs_', 'ghu_'])
    expect(analyzeRegex('(?<![a-z])rk_(?:live|test)_[A-Za-z0-9]{24}', '')!.requiredLiterals).toEqual(['rk_live_', 'rk_test_'])
    expect(analyzeRegex('x?ab[cd]{2}', '')!.requiredLiterals).toEqual(['abcc', 'abcd', 'abdc', 'abdd'])
    // not in case-insensitive patterns (classes hold both cases), nor through optional items
    expect(analyzeRegex('gh[us]_[a-z]{4}', 'i')!.requiredLiterals).toEqual(['gh'])
    expect(analyzeRegex('ab(?:cd)?ef', '')!.requiredLiterals).toEqual(['ab'])
    expect(analyzeRegex('-----BEGIN (?:RSA )?PRIVATE KEY-----', '')!.requiredLiterals).toEqual(['PRIVATE KEY-----'])
    expect(analyzeRegex('[a-z]+@[a-z]+', '')!.requiredLiterals).toEqual(['@'])
    expect(analyzeRegex('AKIA[0-9A-Z]{16}', 'i')!.requiredLiterals).toEqual(['akia'])
    expect(analyzeRegex('^\\d+$', '')!.anchored).toBe(true)
    expect(analyzeRegex('(a)\\1', '')!.hasBackref).toBe(true)
    expect(analyzeRegex('\\d{3}', '')!.digitBounded).toBe(false)
    expect(analyzeRegex('\\b\\d{3}\\b', '')!.digitBounded).toBe(true)
    // letters and digits kept off both ends: by lookarounds covering all of them, or \b before/after word chars
    expect(analyzeRegex('(?<![A-Za-z0-9])[A-Z]{6}[A-Z0-9]{2}(?![A-Za-z0-9])', '')!.alnumBounded).toBe(true)
    expect(analyzeRegex('\\b[A-Z0-9]{9}\\b', '')!.alnumBounded).toBe(true)
    expect(analyzeRegex('(?<![A-Z0-9])[A-Z]{8}(?![A-Za-z0-9])', '')!.alnumBounded).toBe(false)
    expect(analyzeRegex('(?<!\\d)\\d{9}(?!\\d)', '')!.alnumBounded).toBe(false)
    // non-ASCII chars every match consumes: a pure-ASCII text skips such patterns
    expect(analyzeRegex('[\u4e00-\u9fa5]字第\\d{4,8}号', '')!.minNonAscii).toBe(4)
    expect(analyzeRegex('(?:明治|平成)?\\d{2}年', '')!.minNonAscii).toBe(1)
    expect(analyzeRegex('[^a-z]{3}\\d', '')!.minNonAscii).toBe(0)
    expect(analyzeRegex('\u212a\\d', 'iu')!.minNonAscii).toBe(0)
    expect(analyzeRegex('[', '')).toBeNull()
  })

  it('finds how many chars every match consumes before its first digit, and the letter test it gives', () => {
    const lead = (src: string, flags = '') => analyzeRegex(src, flags)!.lead
    expect(lead('(?<![A-Za-z0-9])RO ?\\d{2,10}(?!\\d)')).toEqual({ min: 2, max: 3 })
    expect(lead('(?<![A-Za-z0-9])[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[ABD-HJLNP-UW-Z]{2}')).toEqual({ min: 1, max: 2 })
    expect(lead('(?:[A-Z]{2}[ -]?\\d{1,2}|\\d{2}[ -]?BH)')).toEqual({ min: 0, max: 3 })
    expect(lead('(?:ab){1,3}x?\\d')).toEqual({ min: 2, max: 7 })
    expect(lead('(?:a\\d|bb)c\\d')).toEqual({ min: 1, max: 3 })
    expect(lead('\\+?\\d{3}')).toEqual({ min: 0, max: 1 })
    expect(lead('(?:ab)*\\d')).toBeNull()
    expect(lead('abc')).toBeNull()
    // letters d = 1..4 before the run: upper case bit d - 1, lower case bit 3 + d
    expect(leadMask(analyzeRegex('RO ?\\d{2,10}', ''))).toBe(0b110)
    expect(leadMask(analyzeRegex('[A-Za-z]{1,2}\\d', ''))).toBe(0b00110011)
    expect(leadMask(analyzeRegex('\\+\\d{3}', ''))).toBe(0) // '+' is not a letter
    expect(leadMask(analyzeRegex('[A-Z]{5}\\d', ''))).toBe(0) // farther than 4
    expect(leadMask(analyzeRegex('k\\d', 'iu'))).toBe(0) // KELVIN SIGN folds to k
  })

  it('finds which digits a match\'s first digit can be', () => {
    const first = (src: string) => analyzeRegex(src, '')!.firstDigits
    expect(first('(?:\\+49[ -]?|0)[1-9]\\d{3,10}')).toBe(0b0000010001)
    expect(first('(?:\\+?1[-. ]?)?\\(?[2-9]\\d{2}')).toBe(0b1111111110)
    expect(first('[1-8]\\d{6}')).toBe(0b0111111110)
    expect(first('(?:ab)?0\\d')).toBe(0b1)
    expect(first('x(?=\\d)7')).toBe(0b10000000) // a lookahead consumes nothing
    expect(first('RO ?\\d{2,10}')).toBe(0x3ff)
    expect(first('(\\d)\\1')).toBe(0x3ff)
  })

  it('finds how long a match\'s first two digit runs can be', () => {
    const bitsOf = (m: number) => Array.from({ length: 32 }, (_, i) => i).filter((n) => (m >>> n) & 1)
    const firsts = (src: string) => bitsOf(digitRunPairs(src, '')!.first)
    /** [first run's length, the next one's (0: none)] pairs */
    const pairs = (src: string) => {
      const r = digitRunPairs(src, '')!
      return bitsOf(r.first).flatMap((n) => bitsOf(r.next[n]).map((m) => [n, m]))
    }
    const upTo = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i)
    expect(pairs('(?<![\\w-])\\d{3}-\\d{2}-\\d{4}(?![\\w-])')).toEqual([[3, 2]])
    expect(pairs('\\d{3}[- ]?\\d{2}[- ]?\\d{4}')).toEqual([[3, 2], [3, 6], [5, 4], [9, 0]])
    expect(pairs('\\d{2,3}x?')).toEqual([[2, 0], [3, 0]])
    expect(firsts('\\d{6,22}')).toEqual(upTo(6, 22))
    expect(pairs('DE ?\\d{9}')).toEqual([[9, 0]])
    // a lone "1" before a separator, or glued to the area code
    expect(firsts('\\+?1?[ .-]?\\(?\\d{3}\\)?[ .-]?\\d{3}[ .-]?\\d{4}')).toEqual([1, 3, 4, 6, 7, 10, 11])
    expect(pairs('(?:\\d[ -]?){2,3}x')).toEqual([[1, 1], [1, 2], [2, 0], [2, 1], [3, 0]])
    expect(pairs('a(?=\\d{5})\\d\\d')).toEqual([[2, 0]]) // lookarounds consume nothing
    expect(pairs('[0-9a-f]{2}:\\d')).toEqual([[1, 0], [1, 1], [2, 1]]) // "a1:2", "1a:2", "12:3"
    expect(pairs('\\d{30,40}(?:-\\d{40})?')).toEqual([[30, 0], [30, 31], [31, 0], [31, 31]]) // 31 stands for 31 or more
    expect(digitRunPairs('(\\d)\\1', '')).toBeNull()
  })
})

describe('keyword-gated scanning is exact', () => {
  it('required-context built-in patterns give the same verified matches as a plain scan + keyword filter', async () => {
    const { scanText } = await import('../../src/detector/scan')
    const { keywordNear, runVerifier } = await import('../../src/detector/compiled')
    const reg = loadRegistry()
    const kwPatterns = reg.list().filter((p) => p.keywordsRequired)
    const examples = kwPatterns.flatMap((p) => p.def.examples.match)
    // big digit-dense and sparse texts (windows around the keywords the scan core found) and a
    // small one (a keyword search around each hit)
    const r = rng(11)
    const dense = Array.from({ length: 400 }, (_, i) => `${i},${Math.floor(r() * 1e9)},${examples[i % examples.length]},${(r() * 1e3).toFixed(1)}`).join('\n')
    const sparse = examples.map((e) => `Some words here. ${e} and more words.`).join('\n')
    const small = sparse.slice(0, 16000)
    expect(sparse.length).toBeGreaterThan(16384)
    for (const text of [dense, sparse, small]) {
      for (const p of kwPatterns) {
        const fn = p.verification ? reg.getVerifier(p.verification) : undefined
        const got = scanText(text, [p], (n) => reg.getVerifier(n), false).map((c) => [c.start, c.end])
        const want = [] as number[][]
        for (let i = 0; i < plainHits(p, text).length; i += 2) {
          const [s, e] = plainHits(p, text).slice(i, i + 2)
          if (!keywordNear(text, s, e, p.keywords, p.window)) continue
          if (!runVerifier(fn, text.slice(s, e)).valid) continue
          want.push([s, e])
        }
        expect(got.sort((a, b) => a[0] - b[0]), p.fullId).toEqual(want)
      }
    }
  }, 120_000)
})

describe('segments of every family', () => {
  /** Reference: maximal runs of the family's chars that hold a digit, as [start, end, digits, runs, pure]*. */
  function reference(text: string, family: string): number[] {
    const out: number[] = []
    let i = 0
    while (i < text.length) {
      if (!family.includes(text[i])) {
        i++
        continue
      }
      const st = i
      let digits = 0
      let runs = 0
      while (i < text.length && family.includes(text[i])) {
        if (/[0-9]/.test(text[i])) {
          digits++
          if (i === st || !/[0-9]/.test(text[i - 1])) runs++
        }
        i++
      }
      if (digits > 0) out.push(st, i, digits, runs, digits === i - st ? 1 : 0)
    }
    return out
  }

  it('match a reference cut, in sparse and digit-dense texts, also when families differing only in absent chars are merged', () => {
    const r = rng(11)
    const all = ['0', '1', '7', '9', '-', '.', '/', ' ', '(', ')', '+', ':', '#', '_', 'a', 'Z', ',', '\n', '가', 'é']
    const csvLike = ['-', '.', ',', '\n']
    for (const [len, digitBias, alphabet] of [[300, 0.1, all], [20000, 0.5, all], [20000, 0.8, all], [20000, 0.7, csvLike]] as const) {
      let text = ''
      for (let i = 0; i < len; i++) text += r() < digitBias ? String(Math.floor(r() * 10)) : alphabet[Math.floor(r() * alphabet.length)]
      const idx = new TextIndex(text)
      for (let f = 0; f < FAMILIES.length; f++) expect(Array.from(idx.segments(f)), `family ${f}, ${len} chars`).toEqual(reference(text, FAMILIES[f]))
    }
  })

  it('stay intact while one index builds many of them (small texts carve them from one slab)', () => {
    const r = rng(13)
    const alphabet = ['-', ' ', '.', '/', 'a', '(', '\n', ',', 'Z', ':']
    let text = ''
    for (let i = 0; i < 900; i++) text += r() < 0.55 ? String(Math.floor(r() * 10)) : alphabet[Math.floor(r() * alphabet.length)]
    const idx = new TextIndex(text)
    const kept: Array<[string, () => Int32Array, Int32Array]> = []
    for (let f = 0; f < FAMILIES.length; f++) {
      kept.push([`segments ${f}`, () => new TextIndex(text).segments(f), idx.segments(f)])
      kept.push([`sums ${f}`, () => new TextIndex(text).sumMasks(f), idx.sumMasks(f)])
    }
    for (const reach of [1, 4, 9, 20]) kept.push([`clusters ${reach}`, () => new TextIndex(text).clusters(reach), idx.clusters(reach)])
    // every array still holds what a fresh index computes for it alone
    for (const [what, fresh, got] of kept) expect(Array.from(got), what).toEqual(Array.from(fresh()))
    expect(kept.some(([, , got]) => got.length > 16)).toBe(true)
  })

  it('know which digit counts consecutive runs of each segment add up to', () => {
    const r = rng(12)
    const alphabet = ['-', ' ', '.', '/', 'a', '(', '\n', ',']
    for (const [len, digitBias] of [[400, 0.6], [5000, 0.7]] as const) {
      let text = ''
      for (let i = 0; i < len; i++) text += r() < digitBias ? String(Math.floor(r() * 10)) : alphabet[Math.floor(r() * alphabet.length)]
      const idx = new TextIndex(text)
      for (let f = 0; f < FAMILIES.length; f++) {
        const segs = idx.segments(f)
        const masks = idx.sumMasks(f)
        let allLo = 0
        let allHi = 0
        for (let k = 0; k < segs.length; k += 5) {
          const runs = (text.slice(segs[k], segs[k + 1]).match(/[0-9]+/g) ?? []).map((x) => x.length)
          let lo = 0
          let hi = 0
          for (let a = 0; a < runs.length; a++) {
            for (let b = a, s = 0; b < runs.length; b++) {
              s += runs[b]
              if (s >= 63) hi |= 1 << 31
              else if (s < 32) lo |= 1 << s
              else hi |= 1 << (s - 32)
            }
          }
          expect([masks[(k / 5) * 2], masks[(k / 5) * 2 + 1]], `family ${f}, segment ${k / 5}`).toEqual([lo, hi])
          allLo |= lo
          allHi |= hi
        }
        expect([masks[masks.length - 2], masks[masks.length - 1]]).toEqual([allLo, allHi])
      }
    }
  })
})
