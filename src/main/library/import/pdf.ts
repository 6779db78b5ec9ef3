import type { Author } from '../../../shared/contract/library'
import { findIdentifiers } from '../normalize'
import { importEsm } from './esm'

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs')
const loadPdfJs = () => importEsm<PdfJs>('pdfjs-dist/legacy/build/pdf.mjs')

export interface PdfInfo {
  title: string | null
  authors: Author[]
  pageCount: number
  /** Text of each page (1-based page = index + 1), up to maxPages. */
  pages: string[]
  doi: string | null
  arxivId: string | null
}

interface TextItem {
  str: string
  height: number
  hasEOL?: boolean
}

const JUNK_TITLE = /^(untitled|microsoft word\b|document\d*|title)$|\.(dvi|docx?|tex|pdf|ps|indd|qxd)$|^\s*$/i

/** Text, metadata, title and identifiers of a PDF, with pdf.js in Node (legacy build, no worker thread). */
export async function extractPdf(data: Uint8Array, opts: { maxPages?: number; signal?: AbortSignal } = {}): Promise<PdfInfo> {
  const pdfjs = await loadPdfJs()
  const task = pdfjs.getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false })
  const doc = await task.promise
  try {
    const meta = await doc.getMetadata().catch(() => null)
    const info = (meta?.info ?? {}) as { Title?: string; Author?: string }
    const xmpTitle = (meta?.metadata as { get?(k: string): string | null } | null)?.get?.('dc:title') ?? null
    const maxPages = Math.min(doc.numPages, opts.maxPages ?? 2000)
    const pages: string[] = []
    let firstPageTitle: string | null = null
    for (let i = 1; i <= maxPages; i++) {
      opts.signal?.throwIfAborted()
      const page = await doc.getPage(i)
      const content = await page.getTextContent()
      const items = content.items.filter((it): it is TextItem & typeof it => 'str' in it) as TextItem[]
      pages.push(
        items
          .map((it) => it.str + (it.hasEOL ? '\n' : ''))
          .join('')
          .replace(/[ \t]+/g, ' ')
          .trim(),
      )
      if (i === 1) firstPageTitle = largestText(items)
      page.cleanup()
    }
    const title = [info.Title, xmpTitle].map((t) => t?.replace(/\s+/g, ' ').trim()).find((t) => t && !JUNK_TITLE.test(t)) ?? firstPageTitle
    const ids = findIdentifiers(pages.slice(0, 3).join('\n'))
    return { title: title ?? null, authors: metadataAuthors(info.Author), pageCount: doc.numPages, pages, doi: ids.doi, arxivId: ids.arxivId }
  } finally {
    await doc.destroy()
  }
}

/** The first page's text in the largest font: most often the title. */
function largestText(items: TextItem[]): string | null {
  const sized = items.filter((i) => i.str.trim() && i.height > 0)
  if (!sized.length) return null
  const max = Math.max(...sized.map((i) => i.height))
  const text = sized
    .filter((i) => i.height >= max * 0.95)
    .map((i) => i.str)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
  return text ? text.slice(0, 500) : null
}

function metadataAuthors(s: string | undefined): Author[] {
  if (!s?.trim()) return []
  return s
    .split(/\s*(?:;|\band\b|&)\s*/)
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => {
      if (n.includes(',')) {
        const [family, given] = n.split(',', 2).map((x) => x.trim())
        return { family, given: given || null }
      }
      const words = n.split(/\s+/)
      return words.length > 1 ? { family: words[words.length - 1], given: words.slice(0, -1).join(' ') } : { family: n, given: null }
    })
}
