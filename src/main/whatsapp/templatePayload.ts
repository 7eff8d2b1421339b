// Builds the per-recipient `template` object of a send from a campaign's TemplateSpec, checking it as Meta would.

import type { ApprovedTemplate, ButtonParam, MediaParam, TemplateSpec, TextParam } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import type { TemplatePayload } from './types'

export interface PayloadContact {
  phone: string
  name: string | null
  variables: Record<string, string>
}

export type PayloadResult =
  | { ok: true; payload: TemplatePayload }
  | { ok: false; reason: 'missing_variable' | 'invalid_parameter'; detail: string }

/** Meta's limits (reference §2.1, §7). */
export const MAX_BODY_CHARS = 1024
export const MAX_COUPON_CODE_CHARS = 15

const FIELD_REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g
const NAME_ALIASES = new Set(['nombre', 'name'])

/** Raised inside the builder and turned into a result at its edge, so each check reads as one line. */
class PayloadProblem extends Error {
  constructor(
    readonly reason: 'missing_variable' | 'invalid_parameter',
    detail: string,
  ) {
    super(detail)
  }
}

export function buildTemplatePayload(spec: TemplateSpec, contact: PayloadContact): PayloadResult {
  try {
    return { ok: true, payload: build(spec, contact) }
  } catch (error) {
    if (error instanceof PayloadProblem) return { ok: false, reason: error.reason, detail: error.message }
    throw error
  }
}

function build(spec: TemplateSpec, contact: PayloadContact): TemplatePayload {
  const components: unknown[] = []
  const named = spec.parameterFormat === 'NAMED'

  if (spec.header) components.push({ type: 'header', parameters: [headerParameter(spec.header, contact, named)] })

  const bodyParams = spec.bodyParams ?? []
  if (spec.expectedBodyParams !== undefined && bodyParams.length !== spec.expectedBodyParams) {
    throw new PayloadProblem(
      'invalid_parameter',
      `The template "${spec.name}" expects ${spec.expectedBodyParams} body parameters but the campaign fills ${bodyParams.length}`,
    )
  }
  const bodyValues = bodyParams.map((param, i) => textParameter(param, contact, named, `body parameter ${i + 1}`))
  if (bodyValues.length > 0) components.push({ type: 'body', parameters: bodyValues })
  if (spec.bodyText !== undefined) checkBodyLength(spec.bodyText, bodyValues)

  for (const button of spec.buttons ?? []) components.push(buttonComponent(button, contact))

  return {
    name: spec.name,
    language: { code: spec.language },
    ...(components.length > 0 ? { components } : {}),
  }
}

interface TextValue {
  type: 'text'
  text: string
  parameter_name?: string
}

function textParameter(param: TextParam, contact: PayloadContact, named: boolean, label: string): TextValue {
  if (named && !param.parameterName) {
    throw new PayloadProblem('invalid_parameter', `The ${label} needs a parameter name: the template uses named parameters`)
  }
  const text = checkedValue(hydrate(param.text, contact, label), label)
  return param.parameterName ? { type: 'text', parameter_name: param.parameterName, text } : { type: 'text', text }
}

function headerParameter(header: TextParam | MediaParam, contact: PayloadContact, named: boolean): unknown {
  switch (header.type) {
    case 'text':
      return textParameter(header, contact, named, 'header parameter')
    case 'image':
    case 'document':
    case 'video':
      return { type: header.type, [header.type]: mediaObject(header, contact) }
    default:
      return assertNever(header, 'header type')
  }
}

function mediaObject(media: MediaParam, contact: PayloadContact): Record<string, string> {
  const label = `header ${media.type}`
  if ((media.link === undefined) === (media.id === undefined)) {
    throw new PayloadProblem('invalid_parameter', `The ${label} needs exactly one of a link or an uploaded media id`)
  }
  const object: Record<string, string> = {}
  if (media.id !== undefined) {
    object.id = media.id
  } else {
    const link = hydrateLink(media.link ?? '', contact, label)
    if (!/^https?:\/\/\S+$/i.test(link)) {
      throw new PayloadProblem('invalid_parameter', `The ${label} link "${link}" must be a full http(s) address`)
    }
    object.link = link
  }
  if (media.type === 'document' && media.filename) object.filename = hydrate(media.filename, contact, label)
  return object
}

function buttonComponent(button: ButtonParam, contact: PayloadContact): unknown {
  const label = `${button.subType} button ${button.index}`
  const value = checkedValue(hydrate(button.value, contact, label), label)
  const component = { type: 'button', sub_type: button.subType, index: String(button.index) }
  switch (button.subType) {
    case 'quick_reply':
      return { ...component, parameters: [{ type: 'payload', payload: value }] }
    case 'url':
      return { ...component, parameters: [{ type: 'text', text: value }] }
    case 'copy_code':
      if (Array.from(value).length > MAX_COUPON_CODE_CHARS) {
        throw new PayloadProblem(
          'invalid_parameter',
          `The ${label} code "${value}" is longer than ${MAX_COUPON_CODE_CHARS} characters`,
        )
      }
      return { ...component, parameters: [{ type: 'coupon_code', coupon_code: value }] }
    default:
      return assertNever(button.subType, 'button sub_type')
  }
}

/** Meta rejects new lines, tabs and more than 4 consecutive spaces in any parameter, and blank ones. */
function checkedValue(value: string, label: string): string {
  if (value.trim() === '') throw new PayloadProblem('invalid_parameter', `The ${label} is empty`)
  if (/[\n\r]/.test(value)) throw new PayloadProblem('invalid_parameter', `The ${label} contains a line break; WhatsApp does not allow new lines in parameters`)
  if (value.includes('\t')) throw new PayloadProblem('invalid_parameter', `The ${label} contains a tab; WhatsApp does not allow tabs in parameters`)
  if (/ {5,}/.test(value)) throw new PayloadProblem('invalid_parameter', `The ${label} has more than 4 spaces in a row; WhatsApp rejects that`)
  return value
}

function checkBodyLength(bodyText: string, values: TextValue[]): void {
  const hydrated = bodyText.replace(FIELD_REFERENCE, (whole, key: string) => {
    const value = /^\d+$/.test(key) ? values[Number(key) - 1] : values.find((v) => v.parameter_name === key)
    return value?.text ?? whole
  })
  const length = Array.from(hydrated).length
  if (length > MAX_BODY_CHARS) {
    throw new PayloadProblem(
      'invalid_parameter',
      `The message would be ${length} characters with this contact's data; WhatsApp allows ${MAX_BODY_CHARS}`,
    )
  }
}

// ── Contact fields ──

/** Replaces every `{{Field}}` with the contact's value; a missing or blank field is never sent as blank. */
function hydrate(template: string, contact: PayloadContact, label: string): string {
  return template.replace(FIELD_REFERENCE, (_whole, field: string) => fieldValue(field, contact, label))
}

/** A link made only of `{{Field}}` takes the value as is (a whole URL); inside a link, values are URL-encoded. */
function hydrateLink(link: string, contact: PayloadContact, label: string): string {
  const whole = /^\{\{\s*([^{}]+?)\s*\}\}$/.exec(link.trim())
  if (whole) return fieldValue(whole[1], contact, label).trim()
  return link.replace(FIELD_REFERENCE, (_w, field: string) => encodeURIComponent(fieldValue(field, contact, label)))
}

function fieldValue(field: string, contact: PayloadContact, label: string): string {
  const value = lookupField(field, contact)
  if (value === null || value.trim() === '') {
    throw new PayloadProblem('missing_variable', `The contact has no value for {{${field}}} (${label})`)
  }
  return value
}

/** Exact field name first, then ignoring case and accents; `Nombre`/`name` also mean the contact's name. */
export function lookupField(field: string, contact: PayloadContact): string | null {
  if (Object.hasOwn(contact.variables, field)) return contact.variables[field]
  const wanted = foldKey(field)
  for (const [key, value] of Object.entries(contact.variables)) {
    if (foldKey(key) === wanted) return value
  }
  if (NAME_ALIASES.has(wanted)) return contact.name
  return null
}

function foldKey(key: string): string {
  return key.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().toLowerCase()
}

/** Every `{{Field}}` the campaign's parameters read from contacts, with where it is used (`template.bodyParams[0]`). */
export function fieldReferences(spec: TemplateSpec): { field: string; where: string }[] {
  const sources: [string, string | undefined][] = []
  if (spec.header?.type === 'text') sources.push(['template.header', spec.header.text])
  else if (spec.header) sources.push(['template.header.link', spec.header.link], ['template.header.filename', spec.header.filename])
  spec.bodyParams?.forEach((param, i) => sources.push([`template.bodyParams[${i}]`, param.text]))
  spec.buttons?.forEach((button, i) => sources.push([`template.buttons[${i}]`, button.value]))
  return sources.flatMap(([where, text]) => placeholderNames(text).map((field) => ({ field, where })))
}

// ── Reading approved templates ──

/** Placeholder names in order of first appearance: `['1', '2']` or `['first_name', 'day']`. */
export function placeholderNames(text: string | undefined): string[] {
  const names: string[] = []
  for (const match of (text ?? '').matchAll(FIELD_REFERENCE)) {
    if (!names.includes(match[1])) names.push(match[1])
  }
  return names
}

export function countPlaceholders(text: string | undefined): number {
  return placeholderNames(text).length
}

export function bodyTextOf(template: ApprovedTemplate): string | undefined {
  return template.components.find((c) => c.type === 'BODY')?.text
}

/** The checkable facts of an approved template, to start a campaign's TemplateSpec from. */
export function templateSpecFromApproved(template: ApprovedTemplate): TemplateSpec {
  const bodyText = bodyTextOf(template)
  const category = template.category
  return {
    name: template.name,
    language: template.language,
    parameterFormat: template.parameterFormat,
    ...(category === 'MARKETING' || category === 'UTILITY' || category === 'AUTHENTICATION' ? { category } : {}),
    ...(bodyText !== undefined ? { bodyText, expectedBodyParams: countPlaceholders(bodyText) } : { expectedBodyParams: 0 }),
  }
}
