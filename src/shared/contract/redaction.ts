import { z } from 'zod'
import { CATEGORIES, SEVERITIES, type Category, type Replacement, type Severity } from '../../detector/types'
import { channel } from './define'

import { MAX_SCAN_CHARS } from '../constants'

export { MAX_SCAN_CHARS }

export interface DetectorStatus {
  running: boolean
  pid: number | null
  patterns: number | null
  restarts: number
  lastError: string | null
}

export interface DetectorPattern {
  id: string
  namespace: string
  category: Category
  severity: string
  location: string
  description: string
  verification?: string
}

/** A finding as the UI sees it: never the raw value, only where it is and what it is. */
export interface Finding {
  patternId: string
  namespace: string
  category: Category
  severity: Severity
  start: number
  end: number
  line: number
  column: number
  verified: boolean
  confidence: number
}

/** A replacement as the UI sees it: where and what, without the replacement text itself. */
export type RedactedSpan = Omit<Replacement, 'replacement'>

export interface RedactionOutcome {
  text: string
  replacements: RedactedSpan[]
  counts: Record<string, number>
  total: number
}

const ScanInput = z.strictObject({
  text: z.string().max(MAX_SCAN_CHARS, `text is longer than ${MAX_SCAN_CHARS} characters`),
  namespaces: z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/)).max(50).optional(),
  categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).optional(),
})

export const redactionChannels = {
  'detector.status': channel<DetectorStatus>()(z.undefined()),
  'detector.patterns': channel<DetectorPattern[]>()(z.undefined()),
  'detector.scan': channel<Finding[]>()(ScanInput),
  'detector.redact': channel<RedactionOutcome>()(
    ScanInput.extend({ strategy: z.enum(['mask', 'hash', 'tokenize']).default('mask') }),
  ),
}

export const redactionEvents = {}

export const SeveritySchema = z.enum(SEVERITIES)
