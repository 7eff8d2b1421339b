// How a failed Graph API call reads to a tenant: Meta's refusal in Meta's words; anything else (no
// connection, an answer that is not Meta's) as one sentence without the address, so a caller learns
// nothing about the server's network, not even an open port from a closed one. The log keeps the details.

import { AppError } from '../../shared/errors'
import type { Logger } from '../log/logger'
import { GraphApiError } from '../whatsapp/types'

/** A Graph API call that got no answer from Meta: one sentence for the caller, the details in the log. */
export function unreachable(log: Pick<Logger, 'warn'>, error: unknown): AppError {
  log.warn({ err: error }, 'a Graph API call got no answer from Meta')
  return new AppError('graph_error', 'Could not reach the WhatsApp Cloud API. Check the internet connection and try again; if it keeps failing, tell whoever runs Pregón.', {
    problem: 'meta_unreachable',
  })
}

/** `refused` words Meta's own refusal (an error envelope with a code); any other failure is `unreachable`. */
export function graphFailure(log: Pick<Logger, 'warn'>, error: unknown, refused: (meta: GraphApiError) => AppError): AppError {
  return error instanceof GraphApiError && error.code !== null ? refused(error) : unreachable(log, error)
}
