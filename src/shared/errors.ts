// Errors across boundaries: typed AppError inside the process, plain `{code, message}` data outside.

export const API_ERROR_CODES = [
  'invalid_args',
  'not_found',
  'invalid_transition',
  'unauthorized',
  /** Known caller, not allowed: a tenant asking for what only the installation's operator may do. */
  'forbidden',
  'graph_error',
  'conflict',
  'rate_limited',
  'internal',
  'unavailable',
] as const
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

export interface ApiErrorData {
  code: ApiErrorCode
  /** A sentence that says what to fix. */
  message: string
  /** e.g. the current status for invalid_transition, the field for invalid_args, Meta's code for graph_error. */
  details?: Record<string, unknown>
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData }

export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'AppError'
  }

  toData(): ApiErrorData {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message }
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`)
