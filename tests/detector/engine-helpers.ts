import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { CompiledPattern } from '../../src/detector/compiled'
import { rawHits, TextIndex } from '../../src/detector/scan'
import type { PatternDef } from '../../src/detector/types'

export function tmpDir(prefix = 'spm-det-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function pat(p: Partial<PatternDef> & Pick<PatternDef, 'id' | 'pattern'>): PatternDef {
  return {
    location: 'XX',
    category: 'other',
    description: p.id,
    flags: '',
    examples: { match: [], nomatch: [] },
    policy: { store_raw: false, action_on_match: 'redact', severity: 'medium' },
    ...p,
  }
}

/** Write a pattern file and return its path. */
export function writePatterns(dir: string, namespace: string, patterns: PatternDef[], name = `${namespace}.yml`): string {
  const path = join(dir, name)
  writeFileSync(path, stringify({ namespace, description: `${namespace} test patterns`, patterns }))
  return path
}

export const luhn = (v: string): boolean => {
  const d = v.replace(/\D/g, '')
  let sum = 0
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
  }
  return d.length > 0 && sum % 10 === 0
}

/** A small but realistic test set: cards with Luhn, SSN-like ids, emails, a keyword-gated id, a token. */
export function testPatterns(): PatternDef[] {
  return [
    pat({
      id: 'card',
      category: 'credit_card',
      pattern: '(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)',
      verification: 'test_luhn',
      mask: '#### #### #### ####',
      policy: { store_raw: false, action_on_match: 'redact', severity: 'high' },
    }),
    pat({
      id: 'ssn',
      category: 'national_id',
      pattern: '(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)',
      verification: 'test_ssn',
      context: { keywords: ['SSN', 'social security'] },
      policy: { store_raw: true, action_on_match: 'redact', severity: 'critical' },
    }),
    pat({
      id: 'email',
      category: 'email',
      pattern: '[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,8}',
      policy: { store_raw: true, action_on_match: 'redact', severity: 'medium' },
    }),
    pat({
      id: 'empno',
      category: 'other',
      pattern: '(?<![\\w-])E\\d{6}(?![\\w-])',
      context: { keywords: ['employee', '사번'], required: true, window: 30 },
      policy: { store_raw: false, action_on_match: 'report', severity: 'low' },
    }),
    pat({
      id: 'token',
      category: 'secret',
      pattern: 'tok_[A-Za-z0-9]{16}',
      policy: { store_raw: false, action_on_match: 'redact', severity: 'critical' },
    }),
    pat({
      id: 'digits16',
      category: 'bank_account',
      pattern: '(?<!\\d)\\d{16}(?!\\d)',
      policy: { store_raw: false, action_on_match: 'redact', severity: 'low' },
    }),
  ]
}

export const testVerifiers = {
  test_luhn: luhn,
  test_ssn: (v: string) => {
    const [a, b, c] = v.split('-')
    if (a === '000' || a === '666' || a.startsWith('9') || b === '00' || c === '0000') return false
    return { valid: true, confidence: 0.8 }
  },
}

/** Deterministic pseudo-random numbers in [0, 1) for generated test texts. */
export function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Every match of the pattern's regex over the whole text, as flat [start, end, …]: the reference. */
export function plainHits(p: CompiledPattern, text: string): number[] {
  const re = new RegExp(p.regex.source, p.regex.flags)
  const out: number[] = []
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++
      continue
    }
    out.push(m.index, m.index + m[0].length)
  }
  return out
}

/** The same through the pattern's prefiltered scan plan. */
export function planHits(p: CompiledPattern, text: string): number[] {
  const out: number[][] = []
  rawHits(p, new TextIndex(text), (s, e) => out.push([s, e]))
  return out.sort((a, b) => a[0] - b[0]).flat()
}
