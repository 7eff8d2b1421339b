// What fastify and Node's HTTP parser answer by themselves (a bad URL, an over-long id, a request that is not
// HTTP, headers too large) in the API's one error shape, `{ok:false, error:{code, message}}`, with the right status.

import http from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './replies'

/** The router's limit on one path segment (fastify's maxParamLength); ids are far shorter. */
export const MAX_PARAM_LENGTH = 100

/** fastify's `frameworkErrors`: errors found while routing, before any hook or handler runs. */
export function answerFrameworkError(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      void reply.code(400).send(errorBody('invalid_args', 'The address is not valid URL encoding: every % must start an escape such as %20. Encode ids and names with encodeURIComponent.'))
      return
    case 'FST_ERR_MAX_PARAM_LENGTH':
      void reply.code(414).send(errorBody('invalid_args', `The address is too long: a part of it (an id) has more than ${MAX_PARAM_LENGTH} characters. Check the id.`))
      return
    default:
      void reply.code(500).send(errorBody('internal', 'Something went wrong inside Pregón; the log file has the details.'))
  }
}

/** Node's `clientError`: a request the HTTP parser refused, answered on the socket itself (there is no reply). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, message] = clientErrorReply(error.code)
  if (socket.writable) {
    const body = JSON.stringify(errorBody('invalid_args', message))
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

function clientErrorReply(code: string | undefined): [number, string] {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'The request took too long to arrive; send it again.']
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'The request headers are too large; send fewer or shorter headers.']
  return [400, 'The request is not valid HTTP/1.1 (request line, headers or chunked body); check the client that sent it.']
}
