// Accepts a campaign's template either as our TemplateSpec or as the seed's raw Cloud API object
// (`{name, language: {code}, components: [...]}`) and returns a TemplateSpec.

import type { ApprovedTemplate, ButtonParam, MediaParam, TemplateSpec, TextParam } from '../../shared/types'
import { AppError } from '../../shared/errors'
import { templateSpecSchema } from '../../shared/schemas'
import { templateSpecFromApproved } from '../whatsapp/templatePayload'

type Raw = Record<string, unknown>
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v)

function textParamOf(p: Raw): TextParam {
  const text = p.text ?? (isObject(p.currency) ? p.currency.fallback_value : undefined) ?? (isObject(p.date_time) ? p.date_time.fallback_value : undefined)
  return { type: 'text', text: String(text ?? ''), ...(typeof p.parameter_name === 'string' ? { parameterName: p.parameter_name } : {}) }
}

function fromSeed(raw: Raw): TemplateSpec {
  const language = isObject(raw.language) ? String(raw.language.code ?? '') : String(raw.language ?? '')
  const spec: TemplateSpec = { name: String(raw.name ?? ''), language }
  for (const component of Array.isArray(raw.components) ? raw.components : []) {
    if (!isObject(component)) continue
    const params = (Array.isArray(component.parameters) ? component.parameters : []).filter(isObject)
    const type = String(component.type ?? '').toLowerCase()
    if (type === 'body') spec.bodyParams = params.map(textParamOf)
    if (type === 'header' && params[0]) {
      const p = params[0]
      const kind = String(p.type)
      if (kind === 'image' || kind === 'document' || kind === 'video') {
        const media = isObject(p[kind]) ? (p[kind] as Raw) : {}
        const header: MediaParam = { type: kind }
        if (typeof media.link === 'string') header.link = media.link
        if (typeof media.id === 'string') header.id = media.id
        if (typeof media.filename === 'string') header.filename = media.filename
        spec.header = header
      } else spec.header = textParamOf(p)
    }
    if (type === 'button') {
      const p = params[0] ?? {}
      const button: ButtonParam = {
        subType: (String(component.sub_type ?? 'quick_reply') as ButtonParam['subType']),
        index: Number(component.index ?? 0),
        value: String(p.payload ?? p.text ?? p.coupon_code ?? ''),
      }
      spec.buttons = [...(spec.buttons ?? []), button]
    }
  }
  return spec
}

export function toTemplateSpec(input: unknown): TemplateSpec {
  const candidate = isObject(input) && (isObject(input.language) || Array.isArray(input.components)) ? fromSeed(input) : input
  const parsed = templateSpecSchema.safeParse(candidate)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppError('invalid_args', `template.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`.replace('template.: ', 'template: '), {
      field: `template.${issue?.path.join('.') ?? ''}`,
    })
  }
  return parsed.data
}

/** Adds what the approved template says (body text, parameter count, category, format) to a spec. */
export function enrichFromApproved(spec: TemplateSpec, approved: ApprovedTemplate): TemplateSpec {
  const { name: _n, language: _l, ...facts } = templateSpecFromApproved(approved)
  return { ...spec, ...facts }
}
