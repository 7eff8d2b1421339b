// Pure logic of the template step: which parameters a template has, how each is filled, the preview
// text and the TemplateSpec sent to campaigns.create.

import type { ApprovedTemplate, ButtonParam, MediaParam, TemplateSpec, TextParam } from '../../../../shared/types'

/** Where a parameter's value comes from: a contact column (becomes `{{Column}}`) or a fixed text. */
export type SlotSource = { kind: 'column'; column: string } | { kind: 'fixed'; text: string }

/** One parameter to fill: `{{1}}` / `{{first_name}}` in the header, the body, or a URL button. */
export interface Slot {
  id: string
  where: 'header' | 'body' | 'button'
  /** The placeholder as written between braces: '1', '2' or 'first_name'. */
  key: string
  buttonIndex?: number
}

export type SlotMapping = Record<string, SlotSource>

export type MediaKind = MediaParam['type']

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g

/** Unique placeholder keys in order of first appearance. */
export function placeholders(text: string | undefined): string[] {
  const keys: string[] = []
  for (const match of (text ?? '').matchAll(PLACEHOLDER)) if (!keys.includes(match[1])) keys.push(match[1])
  return keys
}

function byPosition(keys: string[]): string[] {
  return [...keys].sort((a, b) => Number(a) - Number(b))
}

export function component(template: ApprovedTemplate, type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS') {
  return template.components.find((c) => c.type === type)
}

export function mediaHeaderKind(template: ApprovedTemplate): MediaKind | null {
  switch (component(template, 'HEADER')?.format) {
    case 'IMAGE':
      return 'image'
    case 'VIDEO':
      return 'video'
    case 'DOCUMENT':
      return 'document'
    default:
      return null
  }
}

export function templateSlots(template: ApprovedTemplate): Slot[] {
  const positional = template.parameterFormat !== 'NAMED'
  const order = (keys: string[]) => (positional ? byPosition(keys) : keys)
  const header = component(template, 'HEADER')
  const slots: Slot[] = []
  if (header?.format === 'TEXT' || (header && !header.format)) {
    for (const key of order(placeholders(header.text))) slots.push({ id: `header:${key}`, where: 'header', key })
  }
  for (const key of order(placeholders(component(template, 'BODY')?.text))) slots.push({ id: `body:${key}`, where: 'body', key })
  component(template, 'BUTTONS')?.buttons?.forEach((button, index) => {
    if (button.type === 'URL' && placeholders(button.url).length > 0) {
      slots.push({ id: `button:${index}`, where: 'button', key: placeholders(button.url)[0], buttonIndex: index })
    }
  })
  return slots
}

/** A first guess: a named parameter whose name matches a column takes it; the rest wait for the user. */
export function guessMapping(slots: Slot[], columns: string[]): SlotMapping {
  const mapping: SlotMapping = {}
  for (const slot of slots) {
    const column = columns.find((c) => normalise(c) === normalise(slot.key))
    if (column) mapping[slot.id] = { kind: 'column', column }
  }
  return mapping
}

function normalise(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
}

/** The text the engine hydrates per recipient: a column becomes `{{Column}}`. */
export function sourceText(source: SlotSource): string {
  return source.kind === 'column' ? `{{${source.column}}}` : source.text
}

export function isFilled(source: SlotSource | undefined): boolean {
  if (!source) return false
  return source.kind === 'column' ? source.column !== '' : source.text.trim() !== ''
}

export function unfilledSlots(slots: Slot[], mapping: SlotMapping): Slot[] {
  return slots.filter((slot) => !isFilled(mapping[slot.id]))
}

/** Replaces `{{Field}}` references with the contact's values, as the engine does per recipient. */
export function hydrate(text: string, contact: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, field: string) => contact[field] ?? whole)
}

/** The value a slot takes for one contact; an unfilled slot shows its placeholder. */
export function slotValue(slot: Slot, mapping: SlotMapping, contact: Record<string, string>): string {
  const source = mapping[slot.id]
  if (!isFilled(source)) return `{{${slot.key}}}`
  if (source.kind === 'column') return contact[source.column] ?? `[${source.column}]`
  return hydrate(source.text, contact)
}

/** Fills a component's text (header or body) for the preview bubble. */
export function previewText(
  text: string | undefined,
  where: Slot['where'],
  slots: Slot[],
  mapping: SlotMapping,
  contact: Record<string, string>,
): string {
  return (text ?? '').replace(PLACEHOLDER, (whole, key: string) => {
    const slot = slots.find((s) => s.where === where && s.key === key)
    return slot ? slotValue(slot, mapping, contact) : whole
  })
}

function textParam(template: ApprovedTemplate, slot: Slot, mapping: SlotMapping): TextParam {
  const text = sourceText(mapping[slot.id] ?? { kind: 'fixed', text: '' })
  return template.parameterFormat === 'NAMED' ? { type: 'text', text, parameterName: slot.key } : { type: 'text', text }
}

/** The campaign's template: name and language exactly as approved, and how every parameter is filled. */
export function buildTemplateSpec(template: ApprovedTemplate, mapping: SlotMapping, headerLink: string): TemplateSpec {
  const slots = templateSlots(template)
  const bodySlots = slots.filter((s) => s.where === 'body')
  const spec: TemplateSpec = {
    name: template.name,
    language: template.language,
    parameterFormat: template.parameterFormat,
    bodyParams: bodySlots.map((slot) => textParam(template, slot, mapping)),
    expectedBodyParams: bodySlots.length,
  }
  if (isTemplateCategory(template.category)) spec.category = template.category
  const bodyText = component(template, 'BODY')?.text
  if (bodyText) spec.bodyText = bodyText

  const media = mediaHeaderKind(template)
  const headerSlot = slots.find((s) => s.where === 'header')
  if (media) spec.header = { type: media, link: headerLink.trim() }
  else if (headerSlot) spec.header = textParam(template, headerSlot, mapping)

  const buttons: ButtonParam[] = slots
    .filter((s) => s.where === 'button')
    .map((slot) => ({ subType: 'url', index: slot.buttonIndex ?? 0, value: sourceText(mapping[slot.id] ?? { kind: 'fixed', text: '' }) }))
  if (buttons.length > 0) spec.buttons = buttons
  return spec
}

function isTemplateCategory(category: string): category is NonNullable<TemplateSpec['category']> {
  return category === 'MARKETING' || category === 'UTILITY' || category === 'AUTHENTICATION'
}

export type TemplateWarning = 'not_approved' | 'marketing_us' | 'media_link_missing'

/**
 * What the shop owner should know before sending. Meta does not deliver marketing templates to
 * US (+1) numbers, so a marketing template with +1 numbers in the list gets a warning.
 */
export function templateWarnings(template: ApprovedTemplate, phones: string[], defaultCountry: string, headerLink: string): TemplateWarning[] {
  const warnings: TemplateWarning[] = []
  if (template.status !== 'APPROVED') warnings.push('not_approved')
  if (template.category === 'MARKETING' && phones.some((p) => looksLikeNanp(p, defaultCountry))) warnings.push('marketing_us')
  if (mediaHeaderKind(template) && !/^https:\/\/\S+$/.test(headerLink.trim())) warnings.push('media_link_missing')
  return warnings
}

function looksLikeNanp(phone: string, defaultCountry: string): boolean {
  const trimmed = phone.trim()
  const digits = trimmed.replace(/\D/g, '')
  if (trimmed.startsWith('+')) return digits.startsWith('1')
  if (trimmed.startsWith('00')) return digits.startsWith('001')
  if (digits.length === 11 && digits.startsWith('1')) return true
  return digits.length === 10 && (defaultCountry === 'US' || defaultCountry === 'CA')
}

/**
 * The importer stores the name column's value as `Nombre` (the seed's field), whatever the column is called:
 * a parameter filled from the name column ("Cliente") must read `{{Nombre}}`, or every contact lacks it.
 */
export function withNameColumn(mapping: SlotMapping, nameColumn: string | null): SlotMapping {
  if (!nameColumn) return mapping
  const renamed: SlotMapping = {}
  for (const [slot, source] of Object.entries(mapping)) {
    renamed[slot] = source.kind === 'column' && source.column === nameColumn ? { kind: 'column', column: 'Nombre' } : source
  }
  return renamed
}
