// Meta's error vocabulary as the simulator speaks it: titles, HTTP statuses, the sync envelope and async errors[].

interface ErrorInfo {
  title: string
  details: string
  http: number
  /** Meta usually reports it in a `failed` status webhook rather than on the send. */
  async?: boolean
}

const CATALOGUE: Record<number, ErrorInfo> = {
  0: { title: 'AuthException', details: 'We were unable to authenticate the app user.', http: 401 },
  1: { title: 'API Unknown', details: 'Invalid request or possible server error.', http: 400 },
  2: { title: 'API Service', details: 'Temporary due to downtime or due to being overloaded.', http: 503 },
  4: { title: 'API Too Many Calls', details: 'The app has reached its API call rate limit.', http: 400 },
  10: { title: 'API Permission Denied', details: 'Permission is either not granted or has been removed.', http: 403 },
  200: {
    title: '(#200) Requires whatsapp_business_management permission to manage the object',
    details: 'Permission is either not granted or has been removed.',
    http: 403,
  },
  100: { title: 'Invalid parameter', details: 'Invalid parameter.', http: 400 },
  190: {
    title: 'Invalid OAuth access token - Cannot parse access token',
    details: 'The access token is invalid or has expired.',
    http: 401,
  },
  368: { title: 'Temporarily blocked for policies violations', details: 'The account is temporarily blocked.', http: 403 },
  80007: { title: 'Rate limit issues', details: 'The WhatsApp Business Account has reached its rate limit.', http: 400 },
  // Meta's table gives no HTTP status; 429 is what throttled clients meet (and what Retry-After belongs to).
  130429: { title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.', http: 429 },
  130472: { title: "User's number is part of an experiment", details: 'Message was not sent as part of an experiment.', http: 400, async: true },
  130497: { title: 'Business account is restricted from messaging users in this country', details: 'Restricted country.', http: 403 },
  131000: { title: 'Something went wrong', details: 'Message failed to send due to an unknown error.', http: 500 },
  131008: { title: 'Required parameter is missing', details: 'A required parameter is missing.', http: 400 },
  131009: { title: 'Parameter value is not valid', details: 'One or more parameter values are invalid.', http: 400 },
  131016: { title: 'Service unavailable', details: 'A service is temporarily unavailable.', http: 503 },
  131021: { title: 'Recipient cannot be sender', details: 'Sender and recipient phone number is the same.', http: 400 },
  131026: {
    title: 'Message undeliverable',
    details: 'Message Undeliverable.',
    http: 400,
    async: true,
  },
  131031: { title: 'Business Account locked', details: 'The WhatsApp Business Account is locked.', http: 403 },
  131042: { title: 'Business eligibility payment issue', details: 'There was an error related to your payment method.', http: 400 },
  131047: {
    title: 'Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    http: 400,
    async: true,
  },
  131048: {
    title: 'Spam rate limit hit',
    details: 'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
    http: 400,
    async: true,
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
    http: 400,
    async: true,
  },
  131050: {
    title: 'User has stopped marketing messages',
    details: 'Unable to deliver the marketing message because the user has chosen to stop receiving marketing messages.',
    http: 400,
    async: true,
  },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.', http: 400, async: true },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
    http: 400,
  },
  131057: { title: 'Account in maintenance mode', details: 'Business Account is in maintenance mode.', http: 500 },
  132000: { title: 'Number of parameters does not match the expected number of params', details: '', http: 400 },
  132001: { title: 'Template name does not exist in the translation', details: '', http: 400 },
  132005: { title: 'Translated text too long', details: 'Translated text is too long.', http: 400 },
  132007: { title: 'Template format character policy violated', details: 'Template content violates a WhatsApp policy.', http: 400 },
  132012: { title: 'Parameter format does not match format in the created template', details: '', http: 400 },
  132015: { title: 'Template is paused', details: 'Template is paused due to low quality so it cannot be sent.', http: 400 },
  132016: { title: 'Template is disabled', details: 'Template has been paused too many times and is permanently disabled.', http: 400 },
  132018: { title: 'Template Param Validation Error', details: 'There was an issue with the parameters in your template.', http: 400 },
  133004: { title: 'Server temporarily unavailable', details: 'Server is temporarily unavailable.', http: 503 },
  133010: { title: 'Phone number not registered', details: 'The phone number is not registered on the WhatsApp Business Platform.', http: 400 },
}

const FALLBACK: ErrorInfo = { title: 'Simulated error', details: 'Error injected by the Pregón simulator.', http: 400 }

export function errorInfo(code: number): ErrorInfo {
  return CATALOGUE[code] ?? FALLBACK
}

/** Codes Meta reports in a failed-status webhook; the rest fail the send synchronously. */
export function isAsyncCode(code: number): boolean {
  return errorInfo(code).async === true
}

/** Throttling codes: their answers carry `Retry-After` and Meta's usage headers. */
const THROTTLE_CODES = new Set([4, 80007, 130429])

export class GraphError extends Error {
  /**
   * Graph-level errors (auth, unknown objects) say their title alone, with no `(#code)` prefix and no
   * `error_data`; WhatsApp's own errors have both. Set by `graphLevel()`.
   */
  graphLevel = false
  /** For throttling codes: the business the usage header reports on, and the seconds of `Retry-After`. */
  throttle?: { wabaId: string; retryAfterSeconds: number }

  constructor(
    readonly code: number,
    readonly details?: string,
    readonly subcode?: number,
    readonly httpStatus: number = errorInfo(code).http,
    readonly title: string = errorInfo(code).title,
  ) {
    super(`(#${code}) ${title}`)
  }
}

function graphLevel(error: GraphError): GraphError {
  error.graphLevel = true
  error.message = error.title
  return error
}

export function badParam(details: string): GraphError {
  return new GraphError(100, details)
}

export function unknownObject(id: string, method: string): GraphError {
  return graphLevel(
    new GraphError(
      100,
      undefined,
      33,
      400,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
    ),
  )
}

/** What Graph answers for a token it cannot use: OAuthException, 190, no error_data. */
/** A token without `whatsapp_business_management` asking for a WABA's numbers or templates. */
export function missingManagementPermission(): GraphError {
  return graphLevel(new GraphError(200))
}

export function invalidToken(given: boolean): GraphError {
  const title = given ? 'Invalid OAuth access token - Cannot parse access token' : 'An access token is required to request this resource.'
  return graphLevel(new GraphError(190, undefined, undefined, 401, title))
}

/** The error an injected rule answers synchronously, throttling codes with their headers. */
export function injectedError(code: number, wabaId: string, retryAfterSeconds: number): GraphError {
  return THROTTLE_CODES.has(code) ? throttled(code, wabaId, retryAfterSeconds) : new GraphError(code)
}

export function throttled(code: number, wabaId: string, retryAfterSeconds: number): GraphError {
  const error = new GraphError(code, undefined, code === 130429 ? 2494055 : undefined)
  error.throttle = { wabaId, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) }
  return error
}

/**
 * The §2.3 synchronous envelope. `sparse` leaves out what Meta does not always send (error_subcode,
 * error_data, fbtrace_id), so clients are tried on the bare minimum: message, type and code.
 */
export function errorEnvelope(error: GraphError, fbtraceId: string, sparse = false): object {
  const type = error.code === 100 && error.subcode === 33 ? 'GraphMethodException' : 'OAuthException'
  const withData = !error.graphLevel && !sparse
  return {
    error: {
      message: error.message,
      type,
      code: error.code,
      ...(error.subcode !== undefined && !sparse ? { error_subcode: error.subcode } : {}),
      ...(withData ? { error_data: { messaging_product: 'whatsapp', details: error.details ?? errorInfo(error.code).details } } : {}),
      ...(sparse ? {} : { fbtrace_id: fbtraceId }),
    },
  }
}

/**
 * Meta's throttling headers: `Retry-After` (seconds), `x-business-use-case-usage` (per business, with
 * `estimated_time_to_regain_access` in minutes) and `x-app-usage` (percentages of the app's quota).
 */
export function throttleHeaders(throttle: { wabaId: string; retryAfterSeconds: number }, regainAccessMinutes: number): Record<string, string> {
  const usage = { call_count: 100, total_cputime: 1, total_time: 1 }
  return {
    'retry-after': String(throttle.retryAfterSeconds),
    'x-business-use-case-usage': JSON.stringify({
      [throttle.wabaId]: [{ type: 'whatsapp', ...usage, estimated_time_to_regain_access: regainAccessMinutes }],
    }),
    'x-app-usage': JSON.stringify(usage),
  }
}

/**
 * One entry of a failed status's `errors[]` (§2.3 async shape: no type, no fbtrace_id, title = message).
 * `sparse` keeps only code and message, as some of Meta's webhooks do.
 */
export function asyncError(code: number, sparse = false): object {
  const info = errorInfo(code)
  if (sparse) return { code, message: info.title }
  return {
    code,
    title: info.title,
    message: info.title,
    error_data: { details: info.details },
    href: '/documentation/business-messaging/whatsapp/support/error-codes',
  }
}
