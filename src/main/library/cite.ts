import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CitationStyle } from '../../shared/contract/library'
import { findResource } from '../resources'
import type { CslItem } from './csl'

interface CiteCore {
  Cite: new (data: unknown, opts?: unknown) => { format(kind: string, opts?: Record<string, unknown>): string }
  plugins: {
    input: { chain(data: unknown, opts: Record<string, unknown>): CslItem[] }
    config: { get(name: string): { styles: { add(name: string, xml: string): void; has(name: string): boolean } } }
  }
}

let core: CiteCore | null = null

/** citation-js with the RIS and CSL plugins, plus the IEEE and Chicago styles from resources/csl (loaded once). */
export function citationJs(): CiteCore {
  if (core) return core
  const c = require('@citation-js/core') as CiteCore
  require('@citation-js/plugin-ris')
  require('@citation-js/plugin-csl')
  const styles = c.plugins.config.get('@csl').styles
  const dir = findResource('csl')
  if (!styles.has('ieee')) styles.add('ieee', readFileSync(join(dir, 'ieee.csl'), 'utf8'))
  if (!styles.has('chicago')) styles.add('chicago', readFileSync(join(dir, 'chicago-author-date.csl'), 'utf8'))
  core = c
  return c
}

/** Template names registered with citation-js for each style we offer. */
export const STYLE_TEMPLATES: Record<CitationStyle, string> = { apa: 'apa', ieee: 'ieee', chicago: 'chicago', vancouver: 'vancouver' }
