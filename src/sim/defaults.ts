// The simulator's demo account: one business number and a handful of templates covering every shape we send.

import type { SimPhoneNumber, SimTemplate } from './types'

export const DEFAULT_ACCESS_TOKEN = 'sim-token'

export const DEFAULT_PHONE_NUMBERS: SimPhoneNumber[] = [
  {
    id: '100000000000001',
    // 555-01xx numbers are reserved for fiction.
    displayPhoneNumber: '+1 555-010-0001',
    verifiedName: 'Pregón Demo',
    wabaId: '200000000000001',
    qualityRating: 'GREEN',
    tier: 'TIER_UNLIMITED',
    mps: 80,
  },
]

export const DEFAULT_TEMPLATES: SimTemplate[] = [
  {
    name: 'hello_world',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      {
        type: 'BODY',
        text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
      },
      { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
    ],
  },
  {
    name: 'promo_verano',
    language: 'es',
    status: 'APPROVED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, tenemos {{2}} para ti esta semana. ¡Te esperamos en la tienda!',
        example: { body_text: [['Juan', '20% de descuento']] },
      },
      { type: 'FOOTER', text: 'Responde STOP para no recibir promociones' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Me interesa' },
          { type: 'QUICK_REPLY', text: 'No recibir más' },
        ],
      },
    ],
  },
  {
    name: 'pedido_listo',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text: 'Tu pedido {{1}} está listo. Puedes recogerlo hoy en nuestro local.',
        example: { body_text: [['A-1024']] },
      },
    ],
  },
  {
    name: 'confirmacion_cita',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{nombre}}, te esperamos el {{fecha}}. Si no puedes venir, avísanos.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre', example: 'Ana' },
            { param_name: 'fecha', example: 'martes 3 a las 10:00' },
          ],
        },
      },
    ],
  },
  {
    name: 'catalogo_nuevo',
    language: 'es',
    status: 'APPROVED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::simulated'] } },
      { type: 'BODY', text: '{{1}}, ya llegó nuestro catálogo de temporada.', example: { body_text: [['Ana']] } },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Ver catálogo', url: 'https://example.com/catalogo' }] },
    ],
  },
  {
    name: 'oferta_pausada',
    language: 'es',
    status: 'PAUSED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Oferta relámpago: {{1}}', example: { body_text: [['2x1']] } }],
  },
]
