import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { Engine, loadRegistry, type Match } from '../../src/detector/index'
import { testPatterns, testVerifiers, tmpDir, writePatterns } from './engine-helpers'

function engine() {
  const dir = tmpDir()
  writePatterns(dir, 't', testPatterns())
  return new Engine(loadRegistry({ paths: [dir], verifiers: testVerifiers, checkReDoS: false }), { hashKey: Buffer.alloc(32, 3) })
}

/** Deterministic pseudo-random generator. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const PII = ['4111 1111 1111 1111', 'SSN 123-45-6789', 'jane.doe@example.com', 'tok_ABCDEFGHijklmnop', '5500-0000-0000-0004', 'employee E654321']
const FILLER = ['Lorem ipsum dolor sit amet, ', 'über straße — ', '한국어 문장입니다. ', '日本語の文章。', 'page 12 of 300\n', '😀 emoji ', '\r\n']

function makeText(n: number, seed: number): string {
  const r = rng(seed)
  const parts: string[] = []
  let len = 0
  while (len < n) {
    const p = r() < 0.25 ? PII[Math.floor(r() * PII.length)] : FILLER[Math.floor(r() * FILLER.length)]
    parts.push(p)
    len += p.length
  }
  return parts.join('')
}

/** Split bytes into random-sized pieces (cutting through multi-byte characters). */
function pieces(buf: Buffer, seed: number, max = 997): Buffer[] {
  const r = rng(seed)
  const out: Buffer[] = []
  let i = 0
  while (i < buf.length) {
    const n = 1 + Math.floor(r() * max)
    out.push(buf.subarray(i, i + n))
    i += n
  }
  return out
}

async function collect(it: AsyncIterable<Match>): Promise<Match[]> {
  const out: Match[] = []
  for await (const m of it) out.push(m)
  return out
}

const strip = (m: Match) => ({ id: m.patternId, start: m.start, end: m.end, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn })

describe('findStream', () => {
  it('finds exactly what find() finds on the whole text, across many chunk boundaries', async () => {
    const e = engine()
    const text = makeText(120_000, 1)
    const whole = e.find(text).map(strip)
    expect(whole.length).toBeGreaterThan(500)
    for (const chunkSize of [600, 1000, 4096]) {
      const got = (await collect(e.findStream(pieces(Buffer.from(text), chunkSize), { chunkSize, overlap: 300 }))).map(strip)
      expect(got).toEqual(whole)
    }
  })

  it('does not lose a match straddling a chunk boundary at any split position', async () => {
    const e = engine()
    const target = 'card 4111 1111 1111 1111 end'
    for (let pad = 590; pad < 640; pad++) {
      const text = 'x'.repeat(pad) + target + ' ' + 'y'.repeat(700)
      const ms = await collect(e.findStream([text], { chunkSize: 600, overlap: 64 }))
      expect(ms.map((m) => [m.patternId, m.start])).toEqual([['t/card', pad + 5]])
    }
  })

  it('reads Node streams and reports invalid UTF-8 with code INVALID_UTF8', async () => {
    const e = engine()
    const ok = await collect(e.findStream(Readable.from([Buffer.from('mail: a@b.org')])))
    expect(ok).toHaveLength(1)
    const bad = Buffer.concat([Buffer.from('mail a@b.org '), Buffer.from([0xc3, 0x28]), Buffer.from(' more')])
    await expect(collect(e.findStream(Readable.from([bad])))).rejects.toMatchObject({ code: 'INVALID_UTF8' })
  })
})

describe('redactStream', () => {
  it('produces the same text and report as redact() on the whole text', async () => {
    const e = engine()
    const text = makeText(80_000, 7)
    for (const strategy of ['mask', 'tokenize', 'hash'] as const) {
      const whole = e.redact(text, { strategy })
      let out = ''
      const report = await e.redactStreamTo(pieces(Buffer.from(text), 11 + strategy.length), (c) => void (out += c), { strategy, chunkSize: 700, overlap: 200 })
      expect(out).toBe(whole.text)
      expect(report.total).toBe(whole.report.total)
      expect(report.replacements.map((r) => [r.start, r.end, r.line, r.column, r.outStart, r.replacement])).toEqual(
        whole.report.replacements.map((r) => [r.start, r.end, r.line, r.column, r.outStart, r.replacement]),
      )
    }
  })

  it('generator form yields redacted text and returns the report', async () => {
    const e = engine()
    const gen = e.redactStream(['a@b.org ', 'and 4111 1111 ', '1111 1111 done'], { chunkSize: 16, overlap: 40 })
    let out = ''
    let r = await gen.next()
    while (!r.done) {
      out += r.value
      r = await gen.next()
    }
    expect(out).toBe('*@*.*** and **** **** **** **** done')
    expect(r.value.total).toBe(2)
  })
})
