/**
 * Korean, Japanese and Chinese text has no spaces between words (or particles glued to them), so the
 * word index cannot find substrings. Each field therefore also gets a `_cjk` column holding the
 * overlapping character bigrams of every CJK run ("深層学習" → "深層 層学 学習 習"); a query of two
 * or more CJK characters becomes the phrase of its bigrams, which matches exactly the texts containing
 * it as a substring. A separator token between runs stops phrases from matching across runs.
 * (FTS5's trigram tokenizer cannot answer 2-character queries; bigrams answer 2 and more.)
 */

// Han (incl. extension A and compatibility), Hiragana, Katakana (+ half-width), Hangul syllables and jamo, CJK symbols/iteration marks.
const CJK_CHAR = '\\u3005\\u3006\\u3007\\u303b\\u3040-\\u309f\\u30a0-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7af'
export const CJK_RUN = new RegExp(`[${CJK_CHAR}]+`, 'gu')
const HAS_CJK = new RegExp(`[${CJK_CHAR}]`, 'u')

/** Token placed between runs; only ever present in `_cjk` columns, which only CJK terms query. */
const RUN_SEPARATOR = 'x'

export function hasCjk(s: string): boolean {
  return HAS_CJK.test(s)
}

/** Bigrams of one run, plus its last character alone so one-character prefix queries can end a run. */
function runBigrams(run: string, out: string[]): void {
  const chars = Array.from(run)
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1])
  out.push(chars[chars.length - 1])
}

/** The `_cjk` column text for a field value; '' when it has no CJK characters. */
export function cjkColumn(text: string | null | undefined): string {
  if (!text || !HAS_CJK.test(text)) return ''
  const out: string[] = []
  for (const m of text.matchAll(CJK_RUN)) {
    if (out.length) out.push(RUN_SEPARATOR)
    runBigrams(m[0], out)
  }
  return out.join(' ')
}

/** The word-column text: CJK runs blanked out (they are indexed as bigrams instead). */
export function wordColumn(text: string | null | undefined): string {
  if (!text) return ''
  return HAS_CJK.test(text) ? text.replace(CJK_RUN, ' ') : text
}

/** The bigram tokens a CJK query run must match as a phrase ("東京大学" → ["東京","京大","大学"]). */
export function queryBigrams(run: string): string[] {
  const chars = Array.from(run)
  if (chars.length === 1) return [chars[0]]
  const out: string[] = []
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1])
  return out
}

/** Splits a term into its CJK runs and the rest. */
export function splitCjk(value: string): { cjk: string[]; rest: string } {
  const cjk: string[] = []
  const rest = value.replace(CJK_RUN, (m) => {
    cjk.push(m)
    return ' '
  })
  return { cjk, rest: rest.trim() }
}
