/** Error codes that cross the process boundary. Handlers throw AppError; the router maps anything else to INTERNAL. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'UNSUPPORTED',
  'PAYLOAD_TOO_LARGE',
  'TIMEOUT',
  'DATABASE',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppErrorShape {
  code: ErrorCode
  message: string
}

export class AppError extends Error implements AppErrorShape {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function isAppErrorShape(v: unknown): v is AppErrorShape {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as AppErrorShape).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((v as AppErrorShape).code)
  )
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape }
