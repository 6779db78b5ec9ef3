import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { builtinPatternsDir, checkPatternFile, loadRegistry, PatternLoadError } from '../../src/detector/index'
import { pat, testVerifiers, tmpDir, writePatterns } from './engine-helpers'

function loadErr(fn: () => unknown): PatternLoadError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(PatternLoadError)
    return e as PatternLoadError
  }
  throw new Error('expected a load error')
}

describe('loadRegistry errors name file, pattern id and field', () => {
  it('schema: bad enum value', () => {
    const dir = tmpDir()
    const file = writePatterns(dir, 'x', [pat({ id: 'a', pattern: 'a\\d', policy: { store_raw: false, action_on_match: 'redact', severity: 'extreme' as never } })])
    const e = loadErr(() => loadRegistry({ paths: [file], checkReDoS: false }))
    expect(e.message).toBe(`${file}: pattern "a": field "policy.severity": must be one of low, medium, high, critical`)
    expect(e.patternId).toBe('a')
    expect(e.field).toBe('policy.severity')
  })

  it('schema: unknown field, missing field, bad category, bad flags', () => {
    const dir = tmpDir()
    const f1 = writePatterns(dir, 'x1', [{ ...pat({ id: 'a', pattern: 'a\\d' }), colour: 'red' } as never])
    expect(loadErr(() => loadRegistry({ paths: [f1], checkReDoS: false })).message).toMatch(/pattern "a": field "colour": unknown field "colour"/)
    const p2 = pat({ id: 'b', pattern: 'b\\d' }) as Partial<ReturnType<typeof pat>>
    delete p2.examples
    const f2 = writePatterns(dir, 'x2', [p2 as never])
    expect(loadErr(() => loadRegistry({ paths: [f2], checkReDoS: false })).message).toMatch(/pattern "b": field "examples": missing required field/)
    const f3 = writePatterns(dir, 'x3', [pat({ id: 'c', pattern: 'c\\d', category: 'ssn' as never })])
    expect(loadErr(() => loadRegistry({ paths: [f3], checkReDoS: false })).message).toMatch(/pattern "c": field "category": must be one of national_id/)
    const f4 = writePatterns(dir, 'x4', [pat({ id: 'd', pattern: 'd\\d', flags: 'gi' })])
    expect(loadErr(() => loadRegistry({ paths: [f4], checkReDoS: false })).message).toMatch(/pattern "d": field "flags"/)
  })

  it('invalid regex, empty-matching regex, unknown verifier, duplicate id, duplicate namespace, YAML syntax', () => {
    const dir = tmpDir()
    const f1 = writePatterns(dir, 'r1', [pat({ id: 'bad', pattern: '(\\d' })])
    expect(loadErr(() => loadRegistry({ paths: [f1], checkReDoS: false })).message).toMatch(/pattern "bad": field "pattern": invalid regular expression/)
    const f2 = writePatterns(dir, 'r2', [pat({ id: 'empty', pattern: '\\d*' })])
    expect(loadErr(() => loadRegistry({ paths: [f2], checkReDoS: false })).message).toMatch(/pattern "empty": field "pattern": pattern matches the empty string/)
    const f3 = writePatterns(dir, 'r3', [pat({ id: 'v', pattern: 'v\\d', verification: 'nosuch' })])
    expect(loadErr(() => loadRegistry({ paths: [f3], checkReDoS: false })).message).toMatch(/pattern "v": field "verification": unknown verifier "nosuch"/)
    const f4 = writePatterns(dir, 'r4', [pat({ id: 'dup', pattern: 'a\\d' }), pat({ id: 'dup', pattern: 'b\\d' })])
    expect(loadErr(() => loadRegistry({ paths: [f4], checkReDoS: false })).message).toMatch(/pattern "dup": field "id": duplicate pattern id/)
    const d2 = tmpDir()
    writePatterns(d2, 'same', [pat({ id: 'a', pattern: 'a\\d' })], 'one.yml')
    writePatterns(d2, 'same', [pat({ id: 'b', pattern: 'b\\d' })], 'two.yml')
    expect(loadErr(() => loadRegistry({ paths: [d2], checkReDoS: false })).message).toMatch(/two\.yml: field "namespace": namespace "same" already loaded/)
    const f5 = join(dir, 'broken.yml')
    writeFileSync(f5, 'namespace: x\npatterns: [\n')
    expect(loadErr(() => loadRegistry({ paths: [f5], checkReDoS: false })).message).toMatch(/broken\.yml: YAML syntax error/)
    expect(loadErr(() => loadRegistry({ paths: [join(dir, 'missing.yml')] })).message).toMatch(/missing\.yml: no such file/)
  })

  it('validateExamples: failing match and nomatch examples are load errors', () => {
    const dir = tmpDir()
    const good = writePatterns(dir, 'g', [
      pat({ id: 'card', pattern: '(?<!\\d)\\d{16}(?!\\d)', verification: 'test_luhn', examples: { match: ['x 4111111111111111'], nomatch: ['4111111111111112', '411111111111111'] } }),
    ])
    expect(loadRegistry({ paths: [good], verifiers: testVerifiers, validateExamples: true, checkReDoS: false }).size).toBe(1)
    const bad1 = writePatterns(dir, 'b1', [
      pat({ id: 'card', pattern: '(?<!\\d)\\d{16}(?!\\d)', verification: 'test_luhn', examples: { match: ['4111111111111112'], nomatch: [] } }),
    ])
    expect(loadErr(() => loadRegistry({ paths: [bad1], verifiers: testVerifiers, validateExamples: true, checkReDoS: false })).message).toMatch(
      /pattern "card": field "examples.match\[0\]": example is not found/,
    )
    const bad2 = writePatterns(dir, 'b2', [pat({ id: 'n', pattern: '\\bN\\d{3}\\b', examples: { match: ['N123'], nomatch: ['ok', 'N999'] } })])
    const e = loadErr(() => loadRegistry({ paths: [bad2], validateExamples: true, checkReDoS: false }))
    expect(e.message).toMatch(/field "examples.nomatch\[1\]": example is matched and verified/)
    expect(e.message).not.toContain('N999') // no raw example values in errors
    // required context applies to examples too
    const ctx = writePatterns(dir, 'c', [
      pat({ id: 'e', pattern: '\\bE\\d{4}\\b', context: { keywords: ['staff'], required: true }, examples: { match: ['staff E1234'], nomatch: ['E1234'] } }),
    ])
    expect(loadRegistry({ paths: [ctx], validateExamples: true, checkReDoS: false }).size).toBe(1)
  })

  it('checkPatternFile reports problems as data', () => {
    expect(checkPatternFile({ namespace: 'ok', description: '', patterns: [] })).toEqual([])
    expect(checkPatternFile({ namespace: 'Bad NS', description: '', patterns: [] })[0].field).toBe('namespace')
    expect(checkPatternFile([])[0].field).toBe('(root)')
  })
})

describe('builtinPatternsDir', () => {
  const saved = process.env.SPM_PATTERNS_DIR
  afterEach(() => {
    if (saved === undefined) delete process.env.SPM_PATTERNS_DIR
    else process.env.SPM_PATTERNS_DIR = saved
  })

  it('honours SPM_PATTERNS_DIR', () => {
    const dir = tmpDir()
    mkdirSync(join(dir, 'p'))
    writePatterns(join(dir, 'p'), 'envns', [pat({ id: 'a', pattern: 'zz\\d' })])
    process.env.SPM_PATTERNS_DIR = join(dir, 'p')
    expect(builtinPatternsDir()).toBe(join(dir, 'p'))
    const reg = loadRegistry({ checkReDoS: false })
    expect(reg.namespaces()).toEqual(['envns'])
  })

  it('finds the repository patterns folder from the sources', () => {
    delete process.env.SPM_PATTERNS_DIR
    expect(builtinPatternsDir()).toMatch(/[/\\]patterns$/)
  })
})

describe('registry cache seeded by the build', () => {
  const saved = { dir: process.env.SPM_DETECTOR_CACHE_DIR, seed: process.env.SPM_DETECTOR_SEED_DIR }
  afterEach(() => {
    for (const [k, v] of [['SPM_DETECTOR_CACHE_DIR', saved.dir], ['SPM_DETECTOR_SEED_DIR', saved.seed]] as const) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  it('reads a parsed file from the seed when the user cache is empty, and ignores a seed for other content', () => {
    const dir = tmpDir()
    const file = writePatterns(dir, 'seeded', [pat({ id: 'a', pattern: 'a\\d', description: 'from yaml' })])
    // the build fills the seed exactly as a first load fills a user cache
    const seed = join(dir, 'seed')
    process.env.SPM_DETECTOR_CACHE_DIR = seed
    loadRegistry({ paths: [file], checkReDoS: false })
    const [entry] = readdirSync(seed).filter((f) => f.startsWith('patterns-'))
    const path = join(seed, entry)
    const doc = JSON.parse(readFileSync(path, 'utf8'))
    doc.data.patterns[0].description = 'from seed'
    writeFileSync(path, JSON.stringify(doc))

    process.env.SPM_DETECTOR_CACHE_DIR = join(dir, 'empty-user-cache')
    process.env.SPM_DETECTOR_SEED_DIR = seed
    expect(loadRegistry({ paths: [file], checkReDoS: false }).get('seeded/a')?.def.description).toBe('from seed')

    // an edited file has another content hash: parsed from YAML, the stale seed entry is not used
    writePatterns(dir, 'seeded', [pat({ id: 'a', pattern: 'a\\d', description: 'edited' })])
    expect(loadRegistry({ paths: [file], checkReDoS: false }).get('seeded/a')?.def.description).toBe('edited')
  })
})
