// What a campaign sends: a template reference plus how each parameter is filled per contact.

/**
 * A parameter value. Text may reference contact fields as `{{Field}}` (e.g. `Hola {{Nombre}}`),
 * hydrated per recipient; anything else is literal.
 */
export interface TextParam {
  type: 'text'
  text: string
  /** For NAMED templates: the placeholder's name (`first_name`). */
  parameterName?: string
}

export interface MediaParam {
  type: 'image' | 'document' | 'video'
  /** Exactly one of link / id. A link may also reference contact fields. */
  link?: string
  id?: string
  filename?: string
}

export interface ButtonParam {
  /** `quick_reply` takes a payload; `url` a text suffix; `copy_code` a coupon code. */
  subType: 'quick_reply' | 'url' | 'copy_code'
  index: number
  value: string
}

/**
 * The template of a campaign as stored. `name` and `language` must match an approved translation
 * exactly. `bodyParams`/`headerParams`/`buttons` are templates for per-recipient values.
 */
export interface TemplateSpec {
  name: string
  language: string
  category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION'
  parameterFormat?: 'POSITIONAL' | 'NAMED'
  header?: TextParam | MediaParam
  bodyParams?: TextParam[]
  buttons?: ButtonParam[]
  /** Known from the template list: how many body placeholders it has and its text, for checks and previews. */
  bodyText?: string
  expectedBodyParams?: number
}

/** A template as listed from `GET /{waba}/message_templates`. */
export interface ApprovedTemplate {
  id: string
  name: string
  language: string
  status: string
  category: string
  parameterFormat: 'POSITIONAL' | 'NAMED'
  components: TemplateComponent[]
}

export interface TemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS'
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'GIF' | 'DOCUMENT' | 'LOCATION'
  text?: string
  buttons?: { type: string; text: string; url?: string }[]
  example?: unknown
}
