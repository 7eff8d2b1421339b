// The WhatsApp Cloud API module's public face: the client, error classification, payloads and webhooks.
export * from './types'
export { createCloudApi, createTemplateCache, graphDefaults, type CloudApiOptions, type TemplateCache } from './client'
export { classifyError, ERROR_CLASSIFICATIONS, PAIR_LIMIT_MIN_DELAY_MS, MAINTENANCE_MIN_DELAY_MS } from './classify'
export {
  buildTemplatePayload,
  templateSpecFromApproved,
  placeholderNames,
  countPlaceholders,
  bodyTextOf,
  lookupField,
  MAX_BODY_CHARS,
  MAX_COUPON_CODE_CHARS,
  type PayloadContact,
  type PayloadResult,
} from './templatePayload'
export { verifySignature, verifyHandshake, parseWebhook, isStopMessage, isStopReply, DEFAULT_STOP_KEYWORDS } from './webhook'
