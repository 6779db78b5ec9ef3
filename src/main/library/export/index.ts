import type { CitationStyle, Paper } from '../../../shared/contract/library'
import { citationJs, STYLE_TEMPLATES } from '../cite'
import { paperToCsl } from '../csl'
import { toBibtex } from './bibtex'

export { toBibtex }

export function toCslJson(papers: Paper[]): string {
  return `${JSON.stringify(papers.map(paperToCsl), null, 2)}\n`
}

export function toRis(papers: Paper[]): string {
  if (!papers.length) return ''
  const { Cite } = citationJs()
  return new Cite(papers.map(paperToCsl)).format('ris')
}

/** A formatted bibliography (plain text, one entry per line) in one of our CSL styles. */
export function toCitations(papers: Paper[], style: CitationStyle, format: 'text' | 'html' = 'text'): string {
  if (!papers.length) return ''
  const { Cite } = citationJs()
  return new Cite(papers.map(paperToCsl)).format('bibliography', { format, template: STYLE_TEMPLATES[style], lang: 'en-US' })
}
