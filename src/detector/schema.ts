import type AjvType from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { ACTIONS, CATEGORIES, SEVERITIES } from './types'

/** JSON Schema of a pattern file (see docs/DETECTOR.md). */
export const patternFileSchema = {
  $id: 'https://science-paper-manager.local/schemas/detector-patterns.json',
  type: 'object',
  additionalProperties: false,
  required: ['namespace', 'description', 'patterns'],
  properties: {
    namespace: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64 },
    description: { type: 'string' },
    patterns: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'location', 'category', 'description', 'pattern', 'examples', 'policy'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 96 },
          location: { type: 'string', minLength: 1 },
          category: { type: 'string', enum: [...CATEGORIES] },
          description: { type: 'string' },
          pattern: { type: 'string', minLength: 1, maxLength: 4096 },
          flags: { type: 'string', pattern: '^(?!.*(.).*\\1)[imsu]*$' },
          verification: { type: 'string', minLength: 1 },
          context: {
            type: 'object',
            additionalProperties: false,
            required: ['keywords'],
            properties: {
              keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
              required: { type: 'boolean' },
              window: { type: 'integer', minimum: 1, maximum: 1000 },
            },
          },
          mask: { type: 'string' },
          examples: {
            type: 'object',
            additionalProperties: false,
            required: ['match', 'nomatch'],
            properties: {
              match: { type: 'array', items: { type: 'string' } },
              nomatch: { type: 'array', items: { type: 'string' } },
            },
          },
          policy: {
            type: 'object',
            additionalProperties: false,
            required: ['store_raw', 'action_on_match', 'severity'],
            properties: {
              store_raw: { type: 'boolean' },
              action_on_match: { type: 'string', enum: [...ACTIONS] },
              severity: { type: 'string', enum: [...SEVERITIES] },
            },
          },
        },
      },
    },
  },
} as const

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  if (!compiled) {
    // loaded on first use: a registry load served from the cache never needs ajv
    const mod = require('ajv') as { default: typeof AjvType }
    const Ajv = mod.default
    const ajv = new Ajv({ allErrors: true, strict: true })
    compiled = ajv.compile(patternFileSchema)
  }
  return compiled
}

/** One schema problem, located as precisely as possible. */
export interface SchemaIssue {
  /** Pattern id when the problem is inside patterns[i] (or `#i` when the id is missing). */
  patternId?: string
  /** Dotted field path inside the pattern or file, e.g. "policy.severity". */
  field: string
  message: string
}

function describe(err: ErrorObject): string {
  switch (err.keyword) {
    case 'enum':
      return `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
    case 'additionalProperties':
      return `unknown field "${(err.params as { additionalProperty: string }).additionalProperty}"`
    case 'required':
      return `missing required field "${(err.params as { missingProperty: string }).missingProperty}"`
    case 'pattern':
      if (err.instancePath.endsWith('/flags')) return 'must be a string of distinct JS regex flags from "imsu"'
      return `${err.message ?? 'invalid'}`
    default:
      return err.message ?? 'invalid'
  }
}

/** Validate a parsed pattern file against the JSON Schema. Returns [] when valid. */
export function checkPatternFile(doc: unknown): SchemaIssue[] {
  const validate = validator()
  if (validate(doc)) return []
  const issues: SchemaIssue[] = []
  const seen = new Set<string>()
  for (const err of validate.errors ?? []) {
    const parts = err.instancePath.split('/').filter(Boolean)
    let patternId: string | undefined
    let fieldParts = parts
    if (parts[0] === 'patterns' && parts.length >= 2 && /^\d+$/.test(parts[1])) {
      const idx = Number(parts[1])
      const pats = (doc as { patterns?: unknown[] }).patterns
      const p = Array.isArray(pats) ? (pats[idx] as { id?: unknown } | undefined) : undefined
      patternId = p && typeof p.id === 'string' ? p.id : `#${idx}`
      fieldParts = parts.slice(2)
    }
    if (err.keyword === 'additionalProperties' || err.keyword === 'required') {
      const extra =
        (err.params as { additionalProperty?: string }).additionalProperty ??
        (err.params as { missingProperty?: string }).missingProperty
      if (extra) fieldParts = [...fieldParts, extra]
    }
    const field = fieldParts.join('.') || '(root)'
    const message = describe(err)
    const key = `${patternId ?? ''}|${field}|${message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push({ patternId, field, message })
  }
  return issues
}
