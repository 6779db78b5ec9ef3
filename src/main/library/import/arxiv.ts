import type { Author } from '../../../shared/contract/library'
import type { PaperInput } from '../model'
import { cleanDoi, cleanText, normalizeArxiv, parseDateString } from '../normalize'
import { NotFoundError, httpGet, type LookupOptions } from './http'

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const decode = (s: string) =>
  s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
    )

const tag = (xml: string, name: string) => {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml)
  return m ? decode(m[1]).trim() : null
}

function nameToAuthor(name: string): Author {
  const words = name.trim().split(/\s+/)
  return words.length > 1 ? { family: words[words.length - 1], given: words.slice(0, -1).join(' ') } : { family: name.trim(), given: null }
}

/** One <entry> of arXiv's Atom feed → paper input; null for the API's error entries. */
export function arxivEntryToInput(entry: string): PaperInput | null {
  const idUrl = tag(entry, 'id') ?? ''
  if (/api\/errors/.test(idUrl)) return null
  const arxivId = normalizeArxiv(idUrl)
  if (!arxivId) return null
  const published = tag(entry, 'published')
  const { year, date } = parseDateString(published)
  const authors = [...entry.matchAll(/<author>[\s\S]*?<name>([\s\S]*?)<\/name>[\s\S]*?<\/author>/g)].map((m) => nameToAuthor(decode(m[1])))
  const journalRef = tag(entry, 'arxiv:journal_ref')
  const categories = [...entry.matchAll(/<category[^>]*term="([^"]+)"/g)].map((m) => m[1])
  return {
    itemType: 'article',
    title: cleanText(tag(entry, 'title')),
    abstract: cleanText(tag(entry, 'summary')),
    venue: journalRef ? cleanText(journalRef) : 'arXiv',
    year,
    date,
    doi: cleanDoi(tag(entry, 'arxiv:doi')),
    arxivId,
    url: `https://arxiv.org/abs/${arxivId}`,
    authors,
    extra: categories.length ? { arxiv: { categories } } : {},
  }
}

export function parseArxivFeed(xml: string): PaperInput[] {
  if (!/<feed[\s>]/.test(xml)) throw new Error('arXiv sent an answer that is not an Atom feed.')
  return [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => arxivEntryToInput(m[1])).filter((x): x is PaperInput => x !== null)
}

export async function fetchArxiv(id: string, baseUrl: string, opts: LookupOptions): Promise<PaperInput> {
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}id_list=${encodeURIComponent(id)}&max_results=1`
  const xml = await httpGet(url, 'application/atom+xml', opts, `The arXiv id ${id}`)
  const found = parseArxivFeed(xml).find((p) => p.arxivId === id)
  if (!found) throw new NotFoundError(`The arXiv id ${id} was not found.`)
  return found
}
