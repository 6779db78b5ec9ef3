import { describe, expect, it } from 'vitest'
import { Engine, loadRegistry, PatternRegistry, resolveOverlaps } from '../../src/detector/index'
import { keywordNear } from '../../src/detector/compiled'
import { pat, testPatterns, testVerifiers, tmpDir, writePatterns } from './engine-helpers'

function engine(extra: Parameters<typeof pat>[0][] = []) {
  const dir = tmpDir()
  writePatterns(dir, 't', [...testPatterns(), ...extra.map(pat)])
  const reg = loadRegistry({ paths: [dir], verifiers: testVerifiers, checkReDoS: false })
  return new Engine(reg, { hashKey: Buffer.alloc(32, 7) })
}

describe('Engine.find', () => {
  it('finds verified matches with offsets, line/column and metadata', () => {
    const e = engine()
    const text = 'Hello\nCard: 4111 1111 1111 1111 and mail a.b@example.org\n'
    const ms = e.find(text)
    expect(ms.map((m) => m.patternId)).toEqual(['t/card', 't/email'])
    const card = ms[0]
    expect(text.slice(card.start, card.end)).toBe('4111 1111 1111 1111')
    expect(card).toMatchObject({ line: 2, column: 7, category: 'credit_card', severity: 'high', verified: true, namespace: 't' })
    expect(card.endLine).toBe(2)
    expect(card.endColumn).toBe(7 + 19)
  })

  it('drops unverified matches unless asked, and marks them', () => {
    const e = engine()
    const text = 'SSN 000-12-3456 and 123-45-6789'
    const kept = e.find(text, { patternIds: ['t/ssn'] })
    expect(kept).toHaveLength(1)
    expect(text.slice(kept[0].start, kept[0].end)).toBe('123-45-6789')
    const all = e.find(text, { patternIds: ['t/ssn'], includeUnverified: true })
    expect(all).toHaveLength(2)
    expect(all[0].verified).toBe(false)
    expect(all[0].confidence).toBeLessThanOrEqual(0.2)
  })

  it('keywords near a match raise confidence', () => {
    const e = engine()
    const near = e.find('my SSN: 123-45-6789', { patternIds: ['t/ssn'] })[0]
    const far = e.find('number 123-45-6789', { patternIds: ['t/ssn'] })[0]
    expect(near.confidence).toBeGreaterThan(far.confidence)
    expect(far.confidence).toBeCloseTo(0.8)
  })

  it('drops matches of required-context patterns without a keyword in the window', () => {
    const e = engine()
    expect(e.find('id E123456', { patternIds: ['t/empno'] })).toHaveLength(0)
    expect(e.find('employee E123456', { patternIds: ['t/empno'] })).toHaveLength(1)
    expect(e.find('사번: E123456', { patternIds: ['t/empno'] })).toHaveLength(1)
    // keyword exists but too far away (window 30)
    expect(e.find('employee ' + 'x'.repeat(40) + ' E123456', { patternIds: ['t/empno'] })).toHaveLength(0)
    // ASCII keywords must be whole words
    expect(e.find('nonemployees E123456', { patternIds: ['t/empno'] })).toHaveLength(0)
    // a char that lower-cases to two ('İ') does not shift where the word edges are judged
    expect(e.find('İİİİ employee E123456', { patternIds: ['t/empno'] })).toHaveLength(1)
    expect(e.find('İİİİ xemployee E123456', { patternIds: ['t/empno'] })).toHaveLength(0)
    expect(keywordNear('İİİİ employee E123456', 14, 21, ['employee'], 30)).toBe(true)
    expect(keywordNear('İİİİ xemployee E123456', 15, 22, ['employee'], 30)).toBe(false)
  })

  it('includes matched text only when asked and store_raw allows', () => {
    const e = engine()
    const text = 'a@b.co 4111111111111111'
    const plain = e.find(text)
    expect(plain.every((m) => m.matchedText === undefined)).toBe(true)
    const withText = e.find(text, { includeMatchedText: true })
    const email = withText.find((m) => m.category === 'email')
    const card = withText.find((m) => m.category === 'credit_card')
    expect(email?.matchedText).toBe('a@b.co')
    expect(card?.matchedText).toBeUndefined()
    expect(JSON.stringify(withText)).not.toContain('4111111111111111')
  })

  it('filters by namespace and category and rejects unknown ones', () => {
    const e = engine()
    const text = 'a@b.co 4111111111111111'
    expect(e.find(text, { categories: ['email'] }).map((m) => m.category)).toEqual(['email'])
    expect(e.find(text, { namespaces: ['t'] })).toHaveLength(2)
    expect(() => e.find(text, { namespaces: ['nope'] })).toThrow(/unknown namespace "nope"/)
    expect(() => e.find(text, { categories: ['bogus' as never] })).toThrow(/unknown category/)
  })

  it('ignores patterns whose action is ignore unless includeIgnored', () => {
    const e = engine([{ id: 'ign', pattern: 'IGNOREME\\d{2}', policy: { store_raw: false, action_on_match: 'ignore', severity: 'low' } }])
    expect(e.find('x IGNOREME12')).toHaveLength(0)
    expect(e.find('x IGNOREME12', { includeIgnored: true })).toHaveLength(1)
  })

  it('handles non-BMP text and CRLF lines in offsets', () => {
    const e = engine()
    const text = '😀😀\r\nmail: x@y.io'
    const [m] = e.find(text)
    expect(text.slice(m.start, m.end)).toBe('x@y.io')
    expect(m.line).toBe(2)
    expect(m.column).toBe(7)
  })

  it('returns nothing for empty text', () => {
    expect(engine().find('')).toEqual([])
  })

  it('raises confidence by context keywords in big texts too, and not where none occurs', () => {
    const e = engine()
    const filler = 'plain prose without the context word, '.repeat(600)
    const near = e.find(`${filler} the SSN is 123-45-6789 ${filler}`).find((m) => m.patternId === 't/ssn')
    const none = e.find(`${filler} the number is 123-45-6789 ${filler}`).find((m) => m.patternId === 't/ssn')
    const far = e.find(`SSN ${filler} the number is 123-45-6789 ${filler}`).find((m) => m.patternId === 't/ssn')
    expect(near?.confidence).toBeGreaterThan(0.8)
    expect(none?.confidence).toBeCloseTo(0.8)
    expect(far?.confidence).toBeCloseTo(0.8)
  })

  it('gives the same line/column in big texts (scan core) as counting newlines', () => {
    const e = engine()
    // blank lines, CRLF, a newline right before and after matches, non-ASCII runs between
    const parts: string[] = []
    for (let i = 0; i < 600; i++) {
      parts.push(i % 3 === 0 ? '\n\n\n' : i % 3 === 1 ? '\r\n' : ' ', 'Ünïcödé 字 prose line ', String(i), '\n')
      if (i % 7 === 0) parts.push('mail x', String(i), '@example.org\n')
    }
    const text = parts.join('')
    expect(text.length).toBeGreaterThan(16384)
    const ms = e.find(text)
    expect(ms.length).toBeGreaterThan(50)
    for (const m of ms) {
      const before = text.slice(0, m.start)
      const line = before.split('\n').length
      expect([m.line, m.column]).toEqual([line, m.start - before.lastIndexOf('\n')])
      const upto = text.slice(0, m.end)
      expect([m.endLine, m.endColumn]).toEqual([upto.split('\n').length, m.end - upto.lastIndexOf('\n')])
    }
  })
})

describe('overlap resolution', () => {
  it('verified beats unverified, then longer, then severity, then pattern id', () => {
    // 16 digits that pass Luhn: card (verified, high) vs digits16 (no verifier → verified, low). Same span.
    const e = engine()
    const [m] = e.find('x 4111111111111111 x')
    expect(m.patternId).toBe('t/card') // same length, higher severity wins
    // Luhn fails → card is unverified (dropped); digits16 remains
    const [m2] = e.find('x 4111111111111112 x')
    expect(m2.patternId).toBe('t/digits16')
    // with unverified kept, verified digits16 still beats unverified card
    const all = e.find('x 4111111111111112 x', { includeUnverified: true })
    expect(all.map((x) => x.patternId)).toEqual(['t/digits16'])
    const both = e.find('x 4111111111111112 x', { includeUnverified: true, allowOverlaps: true })
    expect(both.map((x) => x.patternId).sort()).toEqual(['t/card', 't/digits16'])
  })

  it('is deterministic regardless of candidate order', () => {
    const mk = (id: string, start: number, end: number, verified: boolean, sev: number) => ({
      p: { fullId: id, severityRank: sev } as never,
      start,
      end,
      verified,
      confidence: 0.5,
    })
    const cands = [mk('a/x', 0, 10, false, 3), mk('a/y', 2, 8, true, 0), mk('a/z', 8, 20, true, 1), mk('a/w', 8, 20, true, 1), mk('a/v', 30, 35, false, 0)]
    const ref = resolveOverlaps(cands).map((c) => (c.p as { fullId: string }).fullId)
    expect(ref).toEqual(['a/y', 'a/w', 'a/v'])
    for (let i = 0; i < 20; i++) {
      const shuffled = cands.slice().sort(() => Math.random() - 0.5)
      expect(resolveOverlaps(shuffled).map((c) => (c.p as { fullId: string }).fullId)).toEqual(ref)
    }
  })
})

describe('Engine.validate', () => {
  it('checks the whole text against regex and verifier', () => {
    const e = engine()
    expect(e.validate('4111 1111 1111 1111', 't/card')).toMatchObject({ valid: true, matched: true, verified: true })
    expect(e.validate('4111 1111 1111 1112', 't/card')).toMatchObject({ valid: false, matched: true, verified: false })
    expect(e.validate('card 4111 1111 1111 1111', 't/card')).toMatchObject({ valid: false, matched: false })
    expect(e.validate('123-45-6789', 't/ssn')).toMatchObject({ valid: true, confidence: 0.8 })
    expect(() => e.validate('x', 't/nope')).toThrow(/unknown pattern/)
  })
})

describe('verdicts within one scan', () => {
  it('verifies each distinct value once per scan of a big text, with the same verdicts', () => {
    const dir = tmpDir()
    writePatterns(dir, 'a', [pat({ id: 'even', pattern: '\\b\\d{4}\\b', verification: 'even' })])
    const reg = new PatternRegistry({ builtinVerifiers: false })
    const calls: string[] = []
    reg.registerVerifier('even', (v) => {
      calls.push(v)
      return Number(v) % 2 === 0
    })
    reg.addFile(`${dir}/a.yml`)
    const e = new Engine(reg)
    // 1,200 numbers, 6 distinct values, in a text past the big-text threshold
    const values = ['1234', '1235', '2046', '2047', '3000', '3001']
    const parts: string[] = []
    for (let i = 0; i < 1200; i++) parts.push(`item ${values[i % 6]} of the list, see above.`)
    const text = parts.join('\n')
    expect(text.length).toBeGreaterThan(16384)
    const found = e.find(text)
    expect(found).toHaveLength(600)
    expect(new Set(found.map((m) => text.slice(m.start, m.end)))).toEqual(new Set(['1234', '2046', '3000']))
    expect(calls.sort()).toEqual(values)
    // the direct path (unverified kept) too, with the odd ones marked unverified
    calls.length = 0
    const all = e.find(text, { includeUnverified: true })
    expect(all).toHaveLength(1200)
    expect(all.filter((m) => m.verified)).toHaveLength(600)
    expect(calls.sort()).toEqual(values)
    // nothing is kept past a scan: the next one asks the verifier again
    calls.length = 0
    e.find(text)
    expect(calls).toHaveLength(6)
    // a short text is verified value by value
    calls.length = 0
    e.find('1234 1234 1235')
    expect(calls).toEqual(['1234', '1234', '1235'])
  })
})

describe('registry API', () => {
  it('registers verifiers, lists namespaces and patterns', () => {
    const dir = tmpDir()
    writePatterns(dir, 'a', [pat({ id: 'even', pattern: '\\b\\d{4}\\b', verification: 'even' })])
    writePatterns(dir, 'b', [pat({ id: 'word', pattern: 'secret-[a-z]{4}' })])
    const reg = new PatternRegistry({ builtinVerifiers: false })
    reg.registerVerifier('even', (v) => Number(v) % 2 === 0)
    reg.addFile(`${dir}/a.yml`)
    reg.addFile(`${dir}/b.yml`)
    expect(reg.namespaces()).toEqual(['a', 'b'])
    expect(reg.byNamespace('a').map((p) => p.fullId)).toEqual(['a/even'])
    expect(reg.get('b/word')?.category).toBe('other')
    const e = new Engine(reg)
    expect(e.find('1234 1235').map((m) => m.start)).toEqual([0])
    // re-registering changes behaviour (verifiers are looked up at match time)
    reg.registerVerifier('even', () => true)
    expect(e.find('1234 1235')).toHaveLength(2)
    expect(reg.summaries({ namespaces: ['b'] })).toEqual([
      expect.objectContaining({ id: 'b/word', namespace: 'b', category: 'other', storeRaw: false }),
    ])
  })
})
