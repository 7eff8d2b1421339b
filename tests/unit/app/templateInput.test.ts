import { describe, expect, it } from 'vitest'
import { toTemplateSpec, enrichFromApproved } from '../../../src/main/app/templateInput'
import { AppError } from '../../../src/shared/errors'

describe('a campaign template given in the seed\'s raw Cloud API shape', () => {
  it('becomes a TemplateSpec with body, header media and buttons', () => {
    const spec = toTemplateSpec({
      name: 'promo_verano',
      language: { code: 'es' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.test/a.png' } }] },
        { type: 'body', parameters: [{ type: 'text', text: '{{Nombre}}' }, { type: 'currency', currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 } }] },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'STOP' }] },
      ],
    })
    expect(spec).toEqual({
      name: 'promo_verano',
      language: 'es',
      header: { type: 'image', link: 'https://x.test/a.png' },
      bodyParams: [{ type: 'text', text: '{{Nombre}}' }, { type: 'text', text: '$10' }],
      buttons: [{ subType: 'quick_reply', index: 0, value: 'STOP' }],
    })
  })

  it('is refused with a message naming the field when the name is not a template name', () => {
    expect(() => toTemplateSpec({ name: 'Promo Verano', language: 'es' })).toThrow(AppError)
    expect(() => toTemplateSpec({ name: 'Promo Verano', language: 'es' })).toThrow(/template\.name/)
  })
})

describe('a spec enriched from the approved template', () => {
  it('learns the body text, its parameter count and the category', () => {
    const spec = enrichFromApproved(
      { name: 'promo_verano', language: 'es', bodyParams: [{ type: 'text', text: 'x' }] },
      {
        id: '1',
        name: 'promo_verano',
        language: 'es',
        status: 'APPROVED',
        category: 'MARKETING',
        parameterFormat: 'POSITIONAL',
        components: [{ type: 'BODY', text: 'Hola {{1}}, tenemos {{2}}' }],
      },
    )
    expect(spec).toMatchObject({ name: 'promo_verano', expectedBodyParams: 2, bodyText: 'Hola {{1}}, tenemos {{2}}', category: 'MARKETING' })
  })
})
