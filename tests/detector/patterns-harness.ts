/**
 * Self-contained pattern checker used by the PART B tests (independent of the engine):
 * parses the YAML files, compiles each regex, runs verification and the context rule.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { builtinVerifiers } from '../../src/detector/verify/index'

export const PATTERNS_DIR = resolve(__dirname, '../../patterns')
export const PII_FILES = ['common', 'kr', 'us', 'jp', 'cn', 'tw', 'in', 'eu']
export const ALL_FILES = [...PII_FILES, 'secrets']

export interface Pat {
  id: string
  location: string
  category: string
  description: string
  pattern: string
  flags?: string
  verification?: string
  context?: { keywords: string[]; required?: boolean; window?: number }
  mask?: string
  examples: { match: string[]; nomatch: string[] }
  policy: { store_raw: boolean; action_on_match: string; severity: string }
}
export interface PatFile {
  namespace: string
  description: string
  patterns: Pat[]
}

export function loadFile(name: string): PatFile {
  return parse(readFileSync(join(PATTERNS_DIR, `${name}.yml`), 'utf8')) as PatFile
}

export function listFiles(): string[] {
  return readdirSync(PATTERNS_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.replace(/\.yml$/, ''))
}

const isAsciiAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)

export function keywordNear(text: string, start: number, end: number, keywords: string[], window: number): boolean {
  const hay = text.slice(Math.max(0, start - window), Math.min(text.length, end + window)).toLowerCase()
  for (const raw of keywords) {
    const kw = raw.toLowerCase()
    let from = 0
    for (;;) {
      const i = hay.indexOf(kw, from)
      if (i < 0) break
      const before = i > 0 ? hay.charCodeAt(i - 1) : 32
      const after = i + kw.length < hay.length ? hay.charCodeAt(i + kw.length) : 32
      const okB = !isAsciiAlnum(kw.charCodeAt(0)) || !isAsciiAlnum(before)
      const okA = !isAsciiAlnum(kw.charCodeAt(kw.length - 1)) || !isAsciiAlnum(after)
      if (okB && okA) return true
      from = i + 1
    }
  }
  return false
}

export interface Found {
  start: number
  end: number
  text: string
  verified: boolean
  confidence: number
  hasContext: boolean
  kept: boolean
}

const regexCache = new Map<string, RegExp>()
export function compile(p: Pat): RegExp {
  const key = `${p.pattern}/${p.flags ?? ''}`
  let re = regexCache.get(key)
  if (!re) {
    re = new RegExp(p.pattern, (p.flags ?? '') + 'g')
    regexCache.set(key, re)
  }
  return re
}

/** All matches of one pattern in `text`, with verification and context decisions. */
export function findAll(p: Pat, text: string): Found[] {
  const re = compile(p)
  re.lastIndex = 0
  const out: Found[] = []
  const fn = p.verification ? builtinVerifiers[p.verification] : undefined
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) {
    if (m[0].length === 0) {
      re.lastIndex++
      continue
    }
    let verified = true
    let confidence = 0.6
    if (fn) {
      const r = fn(m[0])
      verified = typeof r === 'boolean' ? r : r.valid
      confidence = typeof r === 'boolean' ? (r ? 0.9 : 0.2) : (r.confidence ?? (r.valid ? 0.9 : 0.2))
    }
    const hasContext = p.context ? keywordNear(text, m.index, m.index + m[0].length, p.context.keywords, p.context.window ?? 50) : false
    const kept = verified && (!p.context?.required || hasContext)
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0], verified, confidence, hasContext, kept })
  }
  return out
}

/** Problems with a pattern's own examples (empty when fine). */
export function exampleProblems(p: Pat): string[] {
  const problems: string[] = []
  for (const ex of p.examples.match) if (!findAll(p, ex).some((f) => f.kept)) problems.push(`match example not found/verified: ${JSON.stringify(ex)}`)
  for (const ex of p.examples.nomatch) {
    const k = findAll(p, ex).filter((f) => f.kept)
    if (k.length) problems.push(`nomatch example matched: ${JSON.stringify(ex)} -> ${JSON.stringify(k[0].text)}`)
  }
  return problems
}
