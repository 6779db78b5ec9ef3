/**
 * Highlighting and snippets, cut in JS from the stored text (the FTS tables are contentless, so FTS5's
 * snippet() has nothing to read). Word matching mirrors the index's tokenizer: unicode61 with
 * remove_diacritics 2 — letters and digits, case-folded, diacritics stripped; prefixes match the start
 * of a token. CJK terms match as plain substrings, exactly like their bigram phrases do in the index.
 */
import { HL_END, HL_START } from '../../shared/contract/search'
import { CJK_RUN } from './cjk'
import type { TextField } from './parser'

export type HighlightTerm =
  | { kind: 'word'; text: string; prefix: boolean; field: TextField | null }
  | { kind: 'cjk'; text: string; field: TextField | null }

export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
}

const WORD = /[\p{L}\p{N}]+/gu
const ASCII = /^\p{ASCII}*$/u

const regexCache = new Map<string, RegExp | null>()

/**
 * One case-insensitive regex matching the whole ASCII tokens that the folded words match (exact words end at
 * a token boundary, prefixes run to the token's end); null when no word can match ASCII text.
 */
function asciiWordRegex(words: { f: string; prefix: boolean }[]): RegExp | null {
  const key = words.map((w) => `${w.f}${w.prefix ? '*' : ''}`).join(' ')
  let re = regexCache.get(key)
  if (re === undefined) {
    const alts = words.filter((w) => /^[a-z0-9]+$/.test(w.f)).map((w) => (w.prefix ? `${w.f}[a-z0-9]*` : `${w.f}(?![a-z0-9])`))
    re = alts.length ? new RegExp(`(?<![a-z0-9])(?:${alts.join('|')})`, 'gi') : null
    if (regexCache.size > 500) regexCache.clear()
    regexCache.set(key, re)
  }
  return re
}

/** Match ranges [start, end) in `text` for the terms that apply to `field`. */
export function matchRanges(text: string, terms: HighlightTerm[], field: TextField): [number, number][] {
  const applicable = terms.filter((t) => t.field === null || t.field === field)
  if (!applicable.length || !text) return []
  const words = applicable.filter((t): t is Extract<HighlightTerm, { kind: 'word' }> => t.kind === 'word').map((t) => ({ f: fold(t.text), prefix: t.prefix }))
  const ranges: [number, number][] = []
  if (words.length && ASCII.test(text)) {
    // Fast path for ASCII text (most abstracts): tokens are exactly the [a-z0-9] runs, so one regex finds them.
    const re = asciiWordRegex(words)
    if (re) for (const m of text.matchAll(re)) ranges.push([m.index, m.index + m[0].length])
  } else if (words.length) {
    // CJK runs are not words in the index (they are bigrams), so skip them here.
    const blanked = text.replace(CJK_RUN, (m) => ' '.repeat(m.length))
    for (const m of blanked.matchAll(WORD)) {
      // Most tokens are ASCII: lower-casing is all the folding they need (NFKD per token is the slow part).
      const tok = ASCII.test(m[0]) ? m[0].toLowerCase() : fold(m[0])
      if (words.some((w) => (w.prefix ? tok.startsWith(w.f) : tok === w.f))) ranges.push([m.index!, m.index! + m[0].length])
    }
  }
  for (const t of applicable) {
    if (t.kind !== 'cjk') continue
    let from = 0
    for (;;) {
      const i = text.indexOf(t.text, from)
      if (i < 0) break
      ranges.push([i, i + t.text.length])
      from = i + t.text.length
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: [number, number][] = []
  for (const r of ranges) {
    const last = merged[merged.length - 1]
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

function mark(text: string, ranges: [number, number][], from = 0, to = text.length): string {
  let out = ''
  let pos = from
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue
    const a = Math.max(s, from)
    const b = Math.min(e, to)
    out += strip(text.slice(pos, a)) + HL_START + strip(text.slice(a, b)) + HL_END
    pos = b
  }
  return out + strip(text.slice(pos, to))
}

/** Our markers must never come from the data itself. */
function strip(s: string): string {
  return s.includes(HL_START) || s.includes(HL_END) ? s.split(HL_START).join('').split(HL_END).join('') : s
}

export function highlight(text: string, terms: HighlightTerm[], field: TextField): { text: string; hits: number } {
  const ranges = matchRanges(text, terms, field)
  return { text: mark(text, ranges), hits: ranges.length }
}

/**
 * A window of about `size` characters around the densest cluster of matches, with ellipses, or null when
 * nothing matches. Cut at whitespace where possible; whitespace runs collapsed.
 */
export function snippet(rawText: string, terms: HighlightTerm[], field: TextField, size = 220): { text: string; hits: number } | null {
  const text = rawText.replace(/\s+/g, ' ')
  const ranges = matchRanges(text, terms, field)
  if (!ranges.length) return null
  let best = 0
  let bestScore = -1
  // Each match's folded text once (not once per window it falls in).
  const keys = ranges.map(([a, b]) => {
    const w = text.slice(a, b)
    return ASCII.test(w) ? w.toLowerCase() : fold(w)
  })
  for (let i = 0; i < ranges.length; i++) {
    let score = 0
    const distinct = new Set<string>()
    for (let j = i; j < ranges.length && ranges[j][1] - ranges[i][0] <= size * 0.8; j++) {
      score++
      distinct.add(keys[j])
    }
    score += distinct.size * 2
    if (score > bestScore) {
      bestScore = score
      best = i
    }
  }
  let start = Math.max(0, ranges[best][0] - Math.floor(size * 0.25))
  if (start > 0) {
    const sp = text.indexOf(' ', start)
    if (sp >= 0 && sp < ranges[best][0]) start = sp + 1
  }
  let end = Math.min(text.length, start + size)
  if (end < text.length) {
    const sp = text.lastIndexOf(' ', end)
    if (sp > ranges[best][1]) end = sp
  }
  const body = mark(text, ranges, start, end)
  return { text: (start > 0 ? '…' : '') + body + (end < text.length ? '…' : ''), hits: ranges.filter(([s, e]) => e > start && s < end).length }
}
