/**
 * Shared-pass prefilters: the gram bitmaps that gate literals and keywords in big texts must never
 * call an occurring literal absent, and the literal-window plan must give a plain scan's hits, also
 * when occurrences sit at a window's or the text's edges.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadRegistry, type CompiledPattern } from '../../src/detector/index'
import { analyzeRegex } from '../../src/detector/analyze'
import { compilePattern, keywordNear, runVerifier } from '../../src/detector/compiled'
import { GRAM_MIN, gate, scanText, TextIndex } from '../../src/detector/scan'
import { pat, planHits, plainHits, rng } from './engine-helpers'

function compile(defs: ReturnType<typeof pat>[]): CompiledPattern[] {
  return defs.map((d) => {
    const r = compilePattern('t', d, 'inline')
    if (!r.ok) throw new Error(r.message)
    return r.pattern
  })
}

/** A big text mixing ASCII words, upper case, digits, CJK, Hangul, Greek, Cyrillic and the Kelvin sign. */
function mixedText(size: number, seed: number): string {
  const r = rng(seed)
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-:/@_=ΣσΔδЖжÉé字号가나\u212A\u0130'
  let s = ''
  while (s.length < size) s += alphabet[Math.floor(r() * alphabet.length)]
  return s
}

describe('gram literal gates (stamped trigrams in small texts, bitmaps in big ones)', () => {
  it.each([300, 2000, 8000, GRAM_MIN * 3])('never report an occurring literal absent (case-sensitive and case-insensitive), %i chars', (size) => {
    const text = mixedText(size, 1)
    const lower = text.toLowerCase()
    const r = rng(2)
    for (let k = 0; k < 1500; k++) {
      const len = 1 + Math.floor(r() * 10)
      const at = Math.floor(r() * (text.length - len))
      const lit = text.slice(at, at + len)
      const idx = new TextIndex(text)
      expect(idx.has(lit, false), JSON.stringify(lit)).toBe(true)
      const l = lit.toLowerCase()
      if (lower.includes(l)) expect(idx.has(l, true), JSON.stringify(l)).toBe(true)
    }
  })

  it('reject most literals that do not occur', () => {
    const text = mixedText(GRAM_MIN * 2, 3).replace(/[qxz]/gi, 'a')
    const idx = new TextIndex(text)
    let rejected = 0
    const lits = Array.from({ length: 200 }, (_, i) => `q${i}zx_qz`)
    for (const l of lits) if (!idx.has(l, false)) rejected++
    expect(rejected).toBeGreaterThan(190)
    expect(idx.has('qzxq', true)).toBe(false)
    // two-char literals are judged by the trigrams they end: absent pairs are rejected, and the text's
    // first pair (no trigram of its own) is still found
    expect(idx.has('qz', true)).toBe(false)
    expect(idx.has('zq', false)).toBe(false)
    expect(idx.has(text.slice(0, 2), false)).toBe(true)
    expect(idx.has(text.slice(0, 2).toLowerCase(), true)).toBe(true)
  })

  it('gate drops patterns that need non-ASCII chars from pure-ASCII text, and only there', () => {
    const patterns = loadRegistry().list()
    const needy = patterns.filter((p) => (p.info?.minNonAscii ?? 0) > 0)
    expect(needy.length).toBeGreaterThanOrEqual(5)
    const ascii = mixedText(2000, 5).replace(/[^\x20-\x7e]/g, ' ')
    for (const p of needy) {
      expect(gate(p, new TextIndex(ascii)), p.fullId).toBe(false)
      for (const ex of p.def.examples.match) {
        expect(/[\u0080-\uffff]/.test(ex), `${p.fullId}: ${ex}`).toBe(true)
        const text = ascii.slice(0, 500) + ' ' + ex + ' ' + ascii.slice(500)
        if (plainHits(p, text).length > 0) expect(gate(p, new TextIndex(text)), `${p.fullId}: ${ex}`).toBe(true)
      }
    }
  })

  it('gate passes every built-in pattern that has a match in a big text', () => {
    const reg = loadRegistry()
    const patterns = reg.list()
    const examples = patterns.flatMap((p) => p.def.examples.match)
    const filler = mixedText(GRAM_MIN, 4)
    const text = filler + ' ' + examples.join(' \n ') + ' ' + filler
    expect(text.length).toBeGreaterThanOrEqual(GRAM_MIN)
    const idx = new TextIndex(text)
    for (const p of patterns) {
      if (plainHits(p, text).length > 0 && !p.keywordsRequired) expect(gate(p, idx), p.fullId).toBe(true)
    }
  })

  it('scanText over a big text equals a plain scan + keyword filter + verification for every built-in pattern', () => {
    const reg = loadRegistry()
    const patterns = reg.list()
    const r = rng(7)
    const parts: string[] = []
    for (const p of patterns) {
      for (const m of p.def.examples.match) {
        const kw = p.keywords.length && r() < 0.7 ? p.keywords[Math.floor(r() * p.keywords.length)] + ': ' : ''
        parts.push(kw + m)
      }
    }
    const text = mixedText(4000, 8) + ' ' + parts.join(' . ') + ' ' + mixedText(GRAM_MIN, 9)
    const all = scanText(text, patterns, (n) => reg.getVerifier(n), false)
    for (const p of patterns) {
      const fn = p.verification ? reg.getVerifier(p.verification) : undefined
      const got = all.filter((c) => c.p === p).map((c) => [c.start, c.end])
      const hits = plainHits(p, text)
      const want: number[][] = []
      for (let i = 0; i < hits.length; i += 2) {
        const s = hits[i]
        const e = hits[i + 1]
        if (p.keywordsRequired && !keywordNear(text, s, e, p.keywords, p.window)) continue
        if (!runVerifier(fn, text.slice(s, e)).valid) continue
        want.push([s, e])
      }
      got.sort((a, b) => a[0] - b[0])
      expect(got, p.fullId).toEqual(want)
    }
  }, 120_000)
})

describe('literal-window and anchor plans', () => {
  const defs = [
    pat({ id: 'kv', pattern: '(?<![A-Za-z0-9])(?:apikey|token|pwd)\\s{0,3}[:=]\\s{0,3}[A-Za-z0-9]{8,40}', flags: 'i' }),
    pat({ id: 'one', pattern: 'BEGIN [A-Z]{2,10} KEY:[ 0-9a-f]{4,60}(?![0-9a-f])' }),
    // the value may hold the anchor chars: later anchors' windows start inside an earlier match
    pat({ id: 'inner', pattern: '(?:key|pin)[_-]?[A-Za-z]{0,6}\\s?[:=][A-Za-z0-9=:]{8,60}', flags: 'i' }),
  ]

  it('are chosen for bounded whole-text patterns: literals, or for several case-insensitive ones a rare punctuation anchor', () => {
    expect(compile(defs).map((p) => p.plan.kind)).toEqual(['anchor', 'litwin', 'anchor'])
    const gs = loadRegistry().get('secrets/generic_secret')!
    expect(gs.plan.kind).toBe('anchor')
    expect(gs.info!.anchor).not.toBeNull()
    expect([...gs.info!.anchor!.set].flatMap((b, c) => (b ? [String.fromCharCode(c)] : []))).toEqual([':', '='])
    // the anchor lies at most this far into a match: lookbehind, longest keyword + 20 + quote + 3 spaces
    expect(gs.info!.anchor!.maxOff).toBe(37)
    // no anchor behind an unbounded prefix, or in common punctuation
    expect(analyzeRegex('[a-z]+=[0-9]{4}', '')!.anchor).toBeNull()
    expect(analyzeRegex('[a-z]{2}-[0-9]{4}', '')!.anchor).toBeNull()
  })

  it('gives a plain scan’s hits, with literals at window and text edges, in small and big texts', () => {
    const ps = compile(defs)
    const samples = [
      'apikey=abcdEFGH1234',
      'TOKEN : 0123456789abcdef0123456789abcdef01234567',
      'pwd=short',
      'Pwd:= x',
      'tokentoken=aaaaaaaaaaaaaaaaaaaa',
      'BEGIN RSA KEY: 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00 11 22',
      'BEGIN EC KEY:ab',
      'xapikey=abcdefgh12',
      'key=abcd:efgh=ijkl:mnopqrstuvwxyz=ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789=abcdefghijkl:pin=0000',
      'PIN_code:1234=5678:',
      // anchors at the farthest offset from the match start
      'apikey   :abcdEFGH12',
      'key_abcdef :abcdefgh',
    ]
    const r = rng(12)
    for (const size of [200, GRAM_MIN + 500]) {
      const texts: string[] = []
      // literal at the very start and the very end
      texts.push(samples.join('') + mixedText(size, 13) + 'apikey=ABCDEFGH')
      texts.push('token=' + 'a'.repeat(39))
      // occurrences packed so that their windows merge, and spread so that they do not
      const packed: string[] = []
      for (let i = 0; i < 60; i++) packed.push(samples[Math.floor(r() * samples.length)] + ' '.repeat(Math.floor(r() * 80)))
      texts.push(mixedText(size, 14) + packed.join('') + mixedText(300, 15))
      texts.push(packed.join(mixedText(400, 16)))
      for (const p of ps) for (const t of texts) expect(planHits(p, t), p.id).toEqual(plainHits(p, t))
    }
  })
})

describe('anchor plan where its chars are dense', () => {
  it('falls back to the literal windows (JSON, logs) and still gives a plain scan’s hits', () => {
    const gs = loadRegistry().get('secrets/generic_secret')!
    const r = rng(41)
    const rows: string[] = []
    for (let i = 0; i < 3000; i++) {
      rows.push(`{"id": ${Math.floor(r() * 1e6)}, "at": "2026-11-22T06:${String(i % 60).padStart(2, '0')}:00Z"}`)
      if (i % 400 === 7) rows.push(`{"api_key": "uCxKvlf4v2Fs8I69AbuBLbFfKuXwUl${i}", "password": "pmTqa8v#S@zZ8ibA6xPU"}`)
    }
    for (const text of [rows.join(',\n'), rows.slice(0, 40).join(',')]) {
      expect(new TextIndex(text).charPositions(gs.plan.kind === 'anchor' ? gs.plan.runClass : ''), `${text.length} chars`).toBeNull()
      const hits = plainHits(gs, text)
      expect(hits.length).toBeGreaterThan(0)
      expect(planHits(gs, text)).toEqual(hits)
    }
  })
})

describe('windows around non-ASCII runs (patterns that need a Han, kana or Hangul char)', () => {
  const licence = readFileSync('/usr/share/common-licenses/GPL-3', 'utf8')

  it('non-ASCII runs match a regex scan, from the gram pass in big texts and a regex in small ones', () => {
    for (const text of ['字', 'a字b', '字字 x 가나\u{1F600}é', mixedText(3000, 21), mixedText(GRAM_MIN * 2, 22), licence + ' 电话 ' + licence + '字']) {
      const want: number[] = []
      for (const m of text.matchAll(/[\u0080-\uffff]+/g)) want.push(m.index, m.index + m[0].length)
      expect(Array.from(new TextIndex(text).nonAsciiRuns()), `${text.length} chars`).toEqual(want)
    }
  })

  it('give a plain scan’s hits for every built-in pattern that needs a non-ASCII char, in English prose with a few CJK samples', () => {
    const reg = loadRegistry()
    const cjk = reg.list().filter((p) => p.info && p.info.minNonAscii > 0 && (p.plan.kind === 'digits' || p.plan.kind === 'runs'))
    expect(cjk.length).toBeGreaterThanOrEqual(5)
    // and one whose only non-ASCII char ends a long match: its windows must reach back maxLen - 1
    const tail = compile([pat({ id: 'tail', pattern: '(?<![0-9])[0-9]{10}号' })])[0]
    expect(['digits', 'runs']).toContain(tail.plan.kind)
    cjk.push(tail)
    const examples = [...cjk.flatMap((p) => [...p.def.examples.match, ...p.def.examples.nomatch]), '1234567890号', '91234567890号']
    const r = rng(31)
    for (const size of [6000, GRAM_MIN * 4]) {
      let text = ''
      while (text.length < size) {
        const at = Math.floor(r() * (licence.length - 700))
        text += licence.slice(at, at + 300 + Math.floor(r() * 400)) + [' ', '', '\n', '-'][Math.floor(r() * 4)] + examples[Math.floor(r() * examples.length)]
      }
      for (const p of cjk) {
        // the windows are what is being tested here: make sure they are chosen
        expect(new TextIndex(text).nonAsciiSparse(p.info!.maxLen), `${p.fullId}, ${size} chars`).toBe(true)
        expect(planHits(p, text), `${p.fullId}, ${size} chars`).toEqual(plainHits(p, text))
      }
    }
  })
})


describe('lead literals (patterns whose every match starts with one of a few strings)', () => {
  it('are read from the start of the regex, with what may not come before a match', () => {
    const leads = (src: string, flags = '') => {
      const l = analyzeRegex(src, flags)!.leads
      return l && { lits: [...l.lits].sort(), edge: l.edge }
    }
    expect(leads('(?<![A-Za-z0-9])(?:api[_-]?key|token|pwd)\\s*=\\s*\\w{8,}', 'i')).toEqual({ lits: ['api-key', 'api_key', 'apikey', 'pwd', 'token'], edge: 'alnum' })
    expect(leads('(?<![A-Za-z])(?:MRN|Medical Record (?:Number|No\\.?|#))[:#]?\\s?\\d{6,10}')).toEqual({ lits: ['medical record #', 'medical record no', 'medical record number', 'mrn'], edge: 'letter' })
    // a shorter lead hides the longer ones it starts
    expect(leads('\\b(?:sk-|sk-proj-)[A-Za-z0-9]{20}')).toEqual({ lits: ['sk-'], edge: 'alnum' })
    expect(leads('-----BEGIN [A-Z ]+ KEY-----')).toEqual({ lits: ['-----begin '], edge: null })
    // two chars are enough when the first is punctuation (rare in prose)
    expect(leads('%B\\d{13,19}\\^')).toEqual({ lits: ['%b'], edge: null })
    expect(leads('\\bAB\\d{4}')).toBeNull()
    // and which chars may follow each (the keyword pass looks up 4 chars: 'each' is not 'EAC1')
    const digits = '0123456789'
    const follow = (src: string) => analyzeRegex(src, '')!.leads!.next.map((n) => (n ? [...n].flatMap((b, c) => (b ? [String.fromCharCode(c)] : [])).join('') : null))
    expect(follow('(?<![A-Za-z0-9])(?:EAC|LIN)\\d{10}')).toEqual([digits, digits])
    expect(follow('\\bCHE[ -]?\\d{3}')).toEqual([' -' + digits])
    // a dropped longer lead's next char may follow the kept one; after an optional part, anything
    expect(follow('\\b(?:abc\\d|abcx)\\d')).toEqual([digits + 'Xx'])
    expect(follow('\\babc\\s*\\d')).toEqual([null])
    // too short, too many, not literal at the start, or K/S folding to non-ASCII chars (i and u)
    expect(leads('(?:ab|cd)\\d{4}')).toBeNull()
    expect(leads('[a-f][a-f][a-f]\\d{4}')).toBeNull()
    expect(leads('\\d{3}abc')).toBeNull()
    expect(leads('token=\\w+', 'iu')).toBeNull()
  })

  it('find a plain scan’s matches in big texts, whatever comes before and after the literal, for every built-in pattern that has them', () => {
    const reg = loadRegistry()
    const own = compile([
      pat({ id: 'kv', pattern: '(?<![A-Za-z0-9])(?:api[_-]?key|token|pwd)\\s{0,3}[:=]\\s{0,3}[A-Za-z0-9]{8,40}', flags: 'i' }),
      pat({ id: 'mrn', pattern: '(?<![A-Za-z])(?:MRN|Medical Record (?:Number|No\\.?|#))[:#]?\\s?[A-Z]{0,3}\\d{6,10}(?!\\d)' }),
      pat({ id: 'pem', pattern: '-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\\s]{8,64}' }),
      pat({ id: 'cjk', pattern: '(?:電話番号|电话)[:：]?\\s?\\d{8,11}' }),
      // a lead inside an earlier match's value: a plain scan resumes after the match
      pat({ id: 'inner', pattern: '(?<![A-Za-z0-9])(?:key|pin)[:=][A-Za-z0-9=:]{8,60}' }),
    ])
    const leadPatterns = [...own, ...reg.list().filter((p) => p.info?.leads)]
    expect(leadPatterns.length).toBeGreaterThan(40)
    const r = rng(31)
    const flip = (s: string) => [...s].map((c) => (r() < 0.3 ? (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) : c)).join('')
    const ownSamples = ['apikey=abcdEFGH1234', 'API-KEY : 0123456789', 'xtoken=aaaaaaaaaa', 'MRN 1234567', '1MRN:AB1234567', 'aMRN 1234567', 'Medical Record No. 12345678', '-----BEGIN RSA PRIVATE KEY-----abcdEFGH1234', '電話番号：0312345678', '电话 13800138000', 'key=abcd:pin=12345678', 'pin:key=1234:5678']
    let found = 0
    for (const p of leadPatterns) {
      const samples = [...p.def.examples.match, ...p.def.examples.nomatch, ...(own.includes(p) ? ownSamples : [])]
      const parts: string[] = []
      for (let i = 0; i < 120; i++) {
        const s = samples[Math.floor(r() * samples.length)]
        parts.push(['', 'x', '1', '_', '-', ' ', 'é', '字', '\n', '9a', '.'][Math.floor(r() * 11)] + (r() < 0.3 ? flip(s) : s) + ['', ' ', 'x', '1', ';'][Math.floor(r() * 5)])
        parts.push(mixedText(Math.floor(r() * 300), i))
      }
      const text = parts.join('')
      expect(text.length).toBeGreaterThan(GRAM_MIN)
      const want: number[][] = []
      const plain = plainHits(p, text)
      for (let i = 0; i < plain.length; i += 2) {
        if (p.keywordsRequired && !keywordNear(text, plain[i], plain[i + 1], p.keywords, p.window)) continue
        want.push([plain[i], plain[i + 1]])
      }
      const got = scanText(text, [p], () => undefined, true).map((c) => [c.start, c.end])
      got.sort((a, b) => a[0] - b[0])
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const ws = new Set(want.map((x) => x.join()))
        const ex = got.find((x) => !ws.has(x.join()))
        if (ex) console.log('EXTRA', p.fullId, ex, JSON.stringify(text.slice(ex[0] - 20, ex[1] + 5)), JSON.stringify(text.slice(ex[0], ex[1])), JSON.stringify(want.filter((w) => Math.abs(w[0] - ex[0]) < 300)), JSON.stringify(plain.slice(0, 10)))
        const gs = new Set(got.map((x) => x.join()))
        const mi = want.find((x) => !gs.has(x.join()))
        if (mi) console.log('MISSING', p.fullId, JSON.stringify(text.slice(mi[0] - 20, mi[1] + 5)))
      }
      expect(got, p.fullId).toEqual(want)
      found += want.length
    }
    expect(found).toBeGreaterThan(2000)
  }, 60_000)
})
