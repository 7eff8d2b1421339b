// Validates a send request body against the simulator's templates, raising the error Meta would answer with.

import { GraphError, badParam } from './errors'
import type { SimTemplate } from './types'

export interface ValidSend {
  /** `to` verbatim (or the BSUID given as `recipient`). */
  input: string
  /** Digits of `to`; null for a BSUID-only send. */
  waId: string | null
  /** What the per-recipient counters and limits key on: `waId`, or the BSUID. */
  recipientKey: string
  template: SimTemplate
  callbackData: string | null
}

const PARAM_TEXT_FORBIDDEN = /[\n\t]| {5,}/
const POSITIONAL_PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g
const NAMED_PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g
const MAX_BODY_LENGTH = 1024
const MAX_CALLBACK_DATA = 512

export function templateKey(name: string, language: string): string {
  return `${name}\u0000${language}`
}

/** The placeholder names (`1`, `2` or `first_name`) of a component's text, in order of first appearance. */
export function placeholders(text: string | undefined, format: SimTemplate['parameterFormat']): string[] {
  if (!text) return []
  const pattern = format === 'NAMED' ? NAMED_PLACEHOLDER : POSITIONAL_PLACEHOLDER
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1]))]
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw badParam(`The parameter ${field} is required.`)
  return value
}

export function validateSend(body: unknown, templates: ReadonlyMap<string, SimTemplate>): ValidSend {
  if (!isObject(body)) throw badParam('The request body must be a JSON object.')
  const product = requireString(body.messaging_product, 'messaging_product')
  if (product !== 'whatsapp') throw badParam(`Invalid parameter messaging_product: expected "whatsapp", got "${product}".`)

  const to = typeof body.to === 'string' && body.to !== '' ? body.to : null
  const bsuid = typeof body.recipient === 'string' && body.recipient !== '' ? body.recipient : null
  if (to === null && bsuid === null) throw badParam('The parameter to is required.')
  let waId: string | null = null
  if (to !== null) {
    waId = to.replace(/\D/g, '')
    if (waId.length < 7 || waId.length > 15 || /[^\d\s+()\-.]/.test(to)) {
      throw new GraphError(131009, `Invalid parameter to (${to}): write the number with its country code, e.g. +573001234567.`)
    }
  }

  const type = requireString(body.type, 'type')
  if (type !== 'template') throw badParam(`Unsupported parameter type (${type}): the simulator sends only "template" messages.`)

  let callbackData: string | null = null
  if (body.biz_opaque_callback_data !== undefined) {
    if (typeof body.biz_opaque_callback_data !== 'string' || body.biz_opaque_callback_data.length > MAX_CALLBACK_DATA) {
      throw badParam(`The parameter biz_opaque_callback_data must be a string of at most ${MAX_CALLBACK_DATA} characters.`)
    }
    callbackData = body.biz_opaque_callback_data
  }

  if (!isObject(body.template)) throw badParam('The parameter template is required.')
  const name = requireString(body.template.name, "template['name']")
  const language = requireString(isObject(body.template.language) ? body.template.language.code : undefined, "template['language']['code']")
  const template = templates.get(templateKey(name, language))
  if (!template || template.status === 'PENDING' || template.status === 'REJECTED') {
    throw new GraphError(132001, `template name (${name}) does not exist in ${language}`)
  }
  if (template.status === 'PAUSED') throw new GraphError(132015, `Template ${name} (${language}) is paused due to low quality.`)
  if (template.status === 'DISABLED') throw new GraphError(132016, `Template ${name} (${language}) is disabled.`)

  checkComponents(body.template.components, template)
  return { input: to ?? (bsuid as string), waId, recipientKey: waId ?? (bsuid as string), template, callbackData }
}

function checkComponents(raw: unknown, template: SimTemplate): void {
  if (raw !== undefined && !Array.isArray(raw)) throw badParam("The parameter template['components'] must be an array.")
  const sent = (raw ?? []) as unknown[]
  const byType = (type: string): Json | undefined =>
    sent.find((c): c is Json => isObject(c) && typeof c.type === 'string' && c.type.toLowerCase() === type)

  const header = template.components.find((c) => c.type === 'HEADER')
  checkHeader(byType('header'), header, template.parameterFormat)

  const body = template.components.find((c) => c.type === 'BODY')
  const values = checkBody(byType('body'), placeholders(body?.text, template.parameterFormat), template.parameterFormat)
  if (body?.text) {
    const hydrated = body.text.replace(template.parameterFormat === 'NAMED' ? NAMED_PLACEHOLDER : POSITIONAL_PLACEHOLDER, (_, key: string) => values.get(key) ?? '')
    if (hydrated.length > MAX_BODY_LENGTH) {
      throw new GraphError(132005, `body: hydrated text is ${hydrated.length} characters, more than ${MAX_BODY_LENGTH}.`)
    }
  }
}

function parametersOf(component: Json | undefined, where: string): Json[] {
  if (!component || component.parameters === undefined) return []
  if (!Array.isArray(component.parameters) || !component.parameters.every(isObject)) {
    throw badParam(`The parameter ${where}['parameters'] must be an array of objects.`)
  }
  return component.parameters
}

function checkHeader(sent: Json | undefined, header: SimTemplate['components'][number] | undefined, format: SimTemplate['parameterFormat']): void {
  const params = parametersOf(sent, 'header')
  const media = header?.format && header.format !== 'TEXT' ? header.format : null
  if (media) {
    const param = params[0]
    const kind = typeof param?.type === 'string' ? param.type.toUpperCase() : 'UNKNOWN'
    if (kind !== media && !(media === 'GIF' && kind === 'VIDEO')) {
      throw new GraphError(132012, `header: Format mismatch, expected ${media}, received ${kind}`)
    }
    const object = param[kind.toLowerCase()]
    if (!isObject(object) || (typeof object.link !== 'string' && typeof object.id !== 'string')) {
      throw new GraphError(131008, `header: the ${kind.toLowerCase()} parameter needs a link or an id.`)
    }
    return
  }
  const expected = placeholders(header?.text, format).length
  if (params.length !== expected) {
    throw new GraphError(132000, `header: number of localizable_params (${params.length}) does not match the expected number of params (${expected})`)
  }
  params.forEach((p) => textValue(p, 'header'))
}

/** Returns placeholder → value for hydration. */
function checkBody(sent: Json | undefined, expected: string[], format: SimTemplate['parameterFormat']): Map<string, string> {
  const params = parametersOf(sent, 'body')
  if (params.length !== expected.length) {
    throw new GraphError(132000, `body: number of localizable_params (${params.length}) does not match the expected number of params (${expected.length})`)
  }
  const values = new Map<string, string>()
  params.forEach((param, i) => {
    const value = textValue(param, 'body')
    if (format === 'NAMED') {
      const name = param.parameter_name
      if (typeof name !== 'string' || name === '') throw badParam('body: Parameter name is missing or empty')
      if (!expected.includes(name)) {
        throw badParam(`body: Parameter name (${name}) does not exist in the template. Expected: ${expected.join(', ')}`)
      }
      values.set(name, value)
    } else {
      values.set(String(i + 1), value)
    }
  })
  return values
}

/** The display value of a parameter, rejecting what Meta rejects in text. */
function textValue(param: Json, where: string): string {
  switch (param.type) {
    case 'text': {
      if (typeof param.text !== 'string' || param.text === '') {
        throw new GraphError(131008, `${where}: Parameter of type text is missing text value`)
      }
      if (PARAM_TEXT_FORBIDDEN.test(param.text)) {
        throw badParam('Param text cannot have new-line/tab characters or more than 4 consecutive spaces')
      }
      return param.text
    }
    case 'currency':
    case 'date_time': {
      const object = param[param.type]
      if (!isObject(object) || typeof object.fallback_value !== 'string') {
        throw new GraphError(131008, `${where}: Parameter of type ${param.type} is missing fallback_value`)
      }
      return object.fallback_value
    }
    default:
      throw new GraphError(132012, `${where}: Parameter of type ${String(param.type)} is not valid here (expected text, currency or date_time)`)
  }
}
