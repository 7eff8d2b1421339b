// How ApiResults and errors become HTTP: one status per error code, JSON bodies that name the problem.

import type { FastifyReply } from 'fastify'
import { assertNever } from '../../shared/assertNever'
import type { ApiErrorCode, ApiErrorData, ApiResult } from '../../shared/errors'

export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'invalid_args':
      return 400
    case 'unauthorized':
      return 401
    case 'forbidden':
      return 403
    case 'not_found':
      return 404
    case 'invalid_transition':
    case 'conflict':
      return 409
    case 'rate_limited':
      return 429
    case 'internal':
      return 500
    case 'graph_error':
      return 502
    case 'unavailable':
      return 503
    default:
      return assertNever(code)
  }
}

export function errorBody(code: ApiErrorCode, message: string, details?: Record<string, unknown>): { ok: false; error: ApiErrorData } {
  return { ok: false, error: details ? { code, message, details } : { code, message } }
}

/** `POST /api/<method>`: the ApiResult as it is, with the status its error code means. */
export function sendResult(reply: FastifyReply, result: ApiResult<unknown>): FastifyReply {
  return reply.code(result.ok ? 200 : httpStatusOf(result.error.code)).send(result)
}

/**
 * The seed's routes answer with their own shapes on success (`{ok:true, …}`); failures are the
 * ApiResult error, plus the campaign's current `status` on 409 as the seed's clients expect.
 */
export function sendSeed<T>(reply: FastifyReply, result: ApiResult<T>, shape: (value: T) => unknown): FastifyReply {
  if (result.ok) return reply.code(200).send(shape(result.value))
  const status = result.error.details?.status
  const body = typeof status === 'string' ? { ...result, status } : result
  return reply.code(httpStatusOf(result.error.code)).send(body)
}

/** Bodies arrive as raw bytes (the webhook needs them); API routes parse them here. Empty means `{}`. */
export function parseJsonBody(raw: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (raw === undefined || raw === null) return { ok: true, value: {} }
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw)
  if (text.trim() === '') return { ok: true, value: {} }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { ok: false, message: `The request body is not valid JSON (${reason}). Send a JSON object with content-type application/json.` }
  }
}
