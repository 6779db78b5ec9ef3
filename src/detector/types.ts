/** Shared types of the Data Detector. No Node, Electron or DOM dependencies. */

export const CATEGORIES = [
  'national_id',
  'tax_id',
  'passport',
  'driver_license',
  'phone',
  'email',
  'credit_card',
  'bank_account',
  'iban',
  'swift_bic',
  'ip_address',
  'mac_address',
  'imei',
  'postal_code',
  'vehicle_plate',
  'date_of_birth',
  'medical_id',
  'crypto_wallet',
  'secret',
  'url',
  'other',
] as const
export type Category = (typeof CATEGORIES)[number]

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]
export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 }

export const ACTIONS = ['redact', 'report', 'ignore'] as const
export type Action = (typeof ACTIONS)[number]

/** Result of a verification function: a bare boolean or a validity with a confidence in 0..1. */
export type VerifyResult = boolean | { valid: boolean; confidence?: number }
/** `value` is the matched text exactly as found; each verifier normalises separators itself. */
export type Verifier = (value: string) => VerifyResult

export interface PatternContext {
  keywords: string[]
  required?: boolean
  window?: number
}

export interface PatternPolicy {
  store_raw: boolean
  action_on_match: Action
  severity: Severity
}

/** A pattern exactly as written in a YAML file. */
export interface PatternDef {
  id: string
  location: string
  category: Category
  description: string
  pattern: string
  flags?: string
  verification?: string
  context?: PatternContext
  mask?: string
  examples: { match: string[]; nomatch: string[] }
  policy: PatternPolicy
}

export interface PatternFile {
  namespace: string
  description: string
  patterns: PatternDef[]
}

/** A finding. Offsets are UTF-16 code units; line and column are 1-based (column in UTF-16 units). */
export interface Match {
  patternId: string
  namespace: string
  category: Category
  severity: Severity
  action: Action
  start: number
  end: number
  line: number
  column: number
  endLine: number
  endColumn: number
  verified: boolean
  confidence: number
  /** Only present when requested AND the pattern's policy.store_raw is true. */
  matchedText?: string
}

export interface FindOptions {
  /** Restrict to these namespaces (default: all). */
  namespaces?: string[]
  /** Restrict to these categories (default: all). */
  categories?: Category[]
  /** Restrict to these full pattern ids. */
  patternIds?: string[]
  /** Include matchedText where the pattern's store_raw allows it. */
  includeMatchedText?: boolean
  /** Keep matches whose verification failed (marked verified=false). Default false. */
  includeUnverified?: boolean
  /** Keep overlapping matches instead of resolving them. Default false. */
  allowOverlaps?: boolean
  /** Include patterns whose policy action is "ignore". Default false. */
  includeIgnored?: boolean
}

export type RedactionStrategy = 'mask' | 'hash' | 'tokenize'

export interface RedactOptions {
  namespaces?: string[]
  categories?: Category[]
  patternIds?: string[]
  strategy?: RedactionStrategy
  /** Strategy per category, overriding `strategy`. */
  perCategory?: Partial<Record<Category, RedactionStrategy>>
  /** Also redact patterns whose action is "report" (default true: redact means make safe). */
  redactReported?: boolean
}

export interface Replacement {
  patternId: string
  category: Category
  severity: Severity
  strategy: RedactionStrategy
  start: number
  end: number
  line: number
  column: number
  /** Offsets in the redacted output. */
  outStart: number
  outEnd: number
  replacement: string
  verified: boolean
}

export interface RedactionReport {
  replacements: Replacement[]
  counts: Partial<Record<Category, number>>
  total: number
}

export interface RedactResult {
  text: string
  report: RedactionReport
}

export interface ValidateResult {
  valid: boolean
  /** The regex matched the whole text. */
  matched: boolean
  /** The verifier accepted it (true when the pattern has no verifier). */
  verified: boolean
  confidence: number
  patternId: string
}

/** Error with a stable code, used by the registry, engine, worker and CLI. */
export class DetectorError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'DetectorError'
    this.code = code
  }
}
