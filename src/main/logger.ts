import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(scope: string): Logger
}

// Anything that looks like a credential is scrubbed before it reaches a log line.
const SECRET_SHAPES = [
  /\b(sk|pk|rk)-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{16,}/g,
  /\b(?:ghp|gho|ghu|ghs|ghr|github_pat|glpat|xox[abprs]|hf|npm|pypi)[-_][A-Za-z0-9_-]{16,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bxai-[A-Za-z0-9]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  /\b(?:token|key|secret|password|passphrase)=([^\s&]+)/gi,
]
const SECRET_FIELD = /key|secret|token|password|passphrase|authorization/i

export function scrub(s: string): string {
  let out = s
  for (const re of SECRET_SHAPES) out = out.replace(re, '[redacted]')
  return out
}

function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    out[k] = SECRET_FIELD.test(k) ? '[redacted]' : typeof v === 'string' ? scrub(v) : v
  }
  return out
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export function createLogger(opts: { dir?: string; level?: LogLevel; console?: boolean; scope?: string }): Logger {
  const min = ORDER[opts.level ?? 'info']
  const file = opts.dir ? join(opts.dir, 'main.log') : null
  if (opts.dir) mkdirSync(opts.dir, { recursive: true })
  const make = (scope: string): Logger => {
    const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return
      const line = JSON.stringify({ t: new Date().toISOString(), level, scope, msg: scrub(msg), ...(fields ? scrubFields(fields) : {}) })
      if (file) {
        try {
          appendFileSync(file, line + '\n')
        } catch {
          // Logging must never take the app down.
        }
      }
      if (opts.console) (level === 'error' || level === 'warn' ? console.error : console.log)(line)
    }
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (s) => make(`${scope}.${s}`),
    }
  }
  return make(opts.scope ?? 'main')
}
