// zod schemas for every argument that crosses a boundary (IPC, HTTP): one validation for both.

import { z } from 'zod'
import { CAMPAIGN_STATUSES, MESSAGING_LIMIT_TIERS, RECIPIENT_STATES } from './types'

const id = z.string().min(1).max(100)

export const pacingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seed') }),
  z.object({ kind: z.literal('standard') }),
  z.object({ kind: z.literal('custom'), intervalMs: z.number().int().min(1).max(3_600_000) }),
  z.object({ kind: z.literal('off') }),
])

const textParam = z.object({
  type: z.literal('text'),
  text: z.string().max(32_768),
  parameterName: z.string().max(100).optional(),
})
const mediaParam = z
  .object({
    type: z.enum(['image', 'document', 'video']),
    link: z.string().max(2_000).optional(),
    id: z.string().max(200).optional(),
    filename: z.string().max(240).optional(),
  })
  .refine((m) => Boolean(m.link) !== Boolean(m.id), { message: 'a media header needs exactly one of link or id' })

/**
 * Our own template spec, or the seed's raw Cloud API `template` object (`{name, language: {code},
 * components}`), which `templateFromSeed` converts.
 */
export const templateSpecSchema = z.object({
  name: z
    .string()
    .min(1, 'template.name is required')
    .max(512)
    .regex(/^[a-z0-9_]+$/, 'template.name must be lowercase letters, digits and _ (as approved in WhatsApp Manager)'),
  language: z.string().min(2).max(15),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']).optional(),
  parameterFormat: z.enum(['POSITIONAL', 'NAMED']).optional(),
  header: z.union([textParam, mediaParam]).optional(),
  bodyParams: z.array(textParam).max(100).optional(),
  buttons: z
    .array(
      z.object({
        subType: z.enum(['quick_reply', 'url', 'copy_code']),
        index: z.number().int().min(0).max(9),
        value: z.string().max(2_000),
      }),
    )
    .max(10)
    .optional(),
  bodyText: z.string().max(4_096).optional(),
  expectedBodyParams: z.number().int().min(0).max(100).optional(),
})

const seedTemplateSchema = z
  .object({
    name: z.string().min(1),
    language: z.union([z.string(), z.object({ code: z.string().min(2) }).passthrough()]),
    components: z.array(z.unknown()).optional(),
  })
  .passthrough()

export const anyTemplateSchema = z.union([templateSpecSchema, seedTemplateSchema])

/** The seed's contact: `numero` (the phone), `Nombre`, any other field is a variable. */
export const seedContactSchema = z
  .object({ numero: z.union([z.string().min(1).max(64), z.number()]) })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]))

export const campaignCreateSchema = z
  .object({
    contacts: z.array(seedContactSchema).max(1_000_000).optional(),
    /** An import made earlier with `contacts.import` (the desktop flow), instead of `contacts`. */
    importId: id.optional(),
    template: anyTemplateSchema,
    campaignName: z.string().trim().min(1, 'campaignName is required').max(200),
    batchId: z.string().max(100).optional(),
    accountId: id.optional(),
    pacing: pacingSchema.optional(),
    /** ISO time to start later; omitted = now. */
    scheduledAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((a) => Boolean(a.contacts) !== Boolean(a.importId), {
    message: 'give either contacts (a list) or importId (from contacts.import), not both',
    path: ['contacts'],
  })

/** campaigns.preview: what campaigns.create would do with the same import and template, without creating. */
export const campaignPreviewSchema = z
  .object({ importId: id, template: anyTemplateSchema, accountId: id.optional() })
  .strict()

const marketRatesSchema = z.strictObject({
  marketing: z.number().min(0).max(10),
  utility: z.number().min(0).max(10),
  authentication: z.number().min(0).max(10),
})

/** A rate card the user edited in Settings (null: back to the one shipped with Pregón). */
export const rateCardSchema = z.strictObject({
  effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'effective: write the date as YYYY-MM-DD'),
  currency: z.literal('USD'),
  markets: z.record(z.string().regex(/^[a-z_]{2,40}$/), marketRatesSchema).refine((m) => 'other' in m, 'markets: keep the "other" row'),
})

export const campaignListSchema = z
  .object({
    status: z.enum(CAMPAIGN_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    accountId: id.optional(),
    /** true: the archived campaigns only (they are left out otherwise). */
    archived: z.boolean().optional(),
    search: z.string().max(100).optional(),
  })
  .strict()

export const campaignArchiveSchema = z.object({ id, archived: z.boolean() }).strict()

/** Who of an earlier campaign's list gets it again (handlers/campaignCopies.ts says which rows each takes). */
export const campaignCloneSchema = z
  .object({
    id,
    audience: z.enum(['all', 'not_delivered', 'not_read', 'failed']),
    campaignName: z.string().trim().min(1, 'campaignName is required').max(200),
  })
  .strict()

export const webhookStatusSchema = z.object({ accountId: id }).strict()

/** `url`: where to post the signed test (the operator's tunnel); a tenant tests the installation's own. */
export const webhookTestSchema = z
  .object({ url: z.string().trim().url('url must be an address like https://example.trycloudflare.com/webhook').max(2_000).optional() })
  .strict()

export const campaignIdSchema = z.object({ id }).strict()

export const recipientPageSchema = z
  .object({
    id,
    state: z.union([z.enum(RECIPIENT_STATES), z.array(z.enum(RECIPIENT_STATES))]).optional(),
    search: z.string().max(40).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1_000).default(100),
  })
  .strict()

/** Keys that belong to the installation, not to a tenant: a tenant who sends one is told who sets it. */
const OPERATOR_KEYS: Record<string, string> = {
  graphUrl: 'the Graph API address belongs to the installation: whoever runs Pregón sets it (PREGON_GRAPH_URL or `pregon serve --graph-url`)',
  webhookAppSecret: 'an installation setting: only the operator changes it (installation.set)',
  webhookVerifyToken: 'an installation setting: only the operator changes it (installation.set)',
  relayUrl: 'an installation setting: only the operator changes it (installation.set)',
  relayApiKey: 'an installation setting: only the operator changes it (installation.set)',
}

/** For a tenant-facing strict object: unknown keys that are the operator's say so; others get zod's words. */
function operatorKeysError(issue: { code?: string; keys?: string[] }): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined
  const key = issue.keys?.find((k) => Object.prototype.hasOwnProperty.call(OPERATOR_KEYS, k))
  return key ? `${key} is not accepted here: ${OPERATOR_KEYS[key]}` : undefined
}

export const accountInputSchema = z.strictObject(
  {
    label: z.string().trim().max(100).optional(),
    phoneNumberId: z.string().regex(/^\d{5,25}$/, 'phoneNumberId is the numeric "Phone number ID" from Meta\'s API Setup page'),
    wabaId: z.string().regex(/^\d{5,25}$/, 'wabaId is the numeric "WhatsApp Business Account ID"'),
    accessToken: z.string().trim().min(4, 'accessToken looks too short: paste the whole token').max(1_000),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'defaultCountry is a two-letter country code such as CO, MX, ES')
      .default('CO'),
    maxMessagesPerSecond: z.number().int().min(1).max(1_000).optional(),
  },
  { error: operatorKeysError },
)

export const accountUpdateSchema = z
  .object({
    id,
    label: z.string().trim().max(100).optional(),
    accessToken: z.string().trim().min(4).max(1_000).optional(),
    wabaId: z.string().regex(/^\d{5,25}$/, 'wabaId is the numeric "WhatsApp Business Account ID"').optional(),
    /** The tier to hold the account to while Meta says none; null clears it. */
    userMessagingLimitTier: z
      .enum(MESSAGING_LIMIT_TIERS, { message: `userMessagingLimitTier is one of ${MESSAGING_LIMIT_TIERS.join(', ')}, or null` })
      .nullable()
      .optional(),
    defaultCountry: z.string().regex(/^[A-Z]{2}$/).optional(),
    maxMessagesPerSecond: z.number().int().min(1).max(1_000).optional(),
  })
  .strict()

export const templatesListSchema = z.object({ accountId: id.optional(), refresh: z.boolean().optional() }).strict()

export const sendTestSchema = z
  .object({ accountId: id.optional(), to: z.string().min(5).max(40), template: anyTemplateSchema, contact: z.record(z.string(), z.string()).optional() })
  .strict()

export const estimateSchema = z
  .object({ accountId: id.optional(), recipients: z.number().int().min(0), pacing: pacingSchema.optional() })
  .strict()

export const contactsImportSchema = z
  .object({
    accountId: id.optional(),
    fileName: z.string().min(1).max(260),
    /** The file's bytes, base64; or a local path (desktop only). */
    dataBase64: z.string().max(200_000_000).optional(),
    path: z.string().min(1).max(4_096).optional(),
    sheet: z.string().max(100).optional(),
    /** The words of the rejected rows and their file: the UI's language (else the saved one, else the OS's). */
    lang: z.enum(['es', 'en']).optional(),
    mapping: z
      .object({
        phone: z.string().max(200),
        name: z.string().max(200).nullable().optional(),
        variables: z.array(z.string().max(200)).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  // An empty dataBase64 is an empty file: the importer says so in the user's words.
  .refine((a) => (a.dataBase64 !== undefined) !== (a.path !== undefined), { message: 'give either dataBase64 or path', path: ['dataBase64'] })

/** A tenant's own settings. */
export const settingsSchema = z.strictObject(
  {
    /** null: follow this computer's language again. */
    language: z.enum(['es', 'en']).nullable().optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
    defaultAccountId: z.string().max(100).nullable().optional(),
    defaultPacing: pacingSchema.optional(),
    stopKeywords: z.array(z.string().min(1).max(40)).max(50).optional(),
    startAtLogin: z.boolean().optional(),
    autoUpdate: z.boolean().optional(),
    rateCard: rateCardSchema.nullable().optional(),
  },
  { error: operatorKeysError },
)

/** The installation's settings, which only its operator changes (Meta's webhook, the relay). */
export const installationSchema = z
  .object({
    webhookVerifyToken: z.string().max(200).optional(),
    webhookAppSecret: z.string().max(200).optional(),
    relayUrl: z.string().url().or(z.literal('')).optional(),
    relayApiKey: z.string().max(200).optional(),
  })
  .strict()

/** Settings → Storage: a MongoDB address to test, and the mirror into one. */
const mongoUri = z.string().trim().max(2_000).regex(/^mongodb(\+srv)?:\/\//i, 'a MongoDB address starts with mongodb:// or mongodb+srv://')
export const storageTestSchema = z.object({ uri: mongoUri }).strict()
export const storageMirrorSchema = z.object({ enabled: z.boolean(), uri: mongoUri.optional() }).strict()
export const storageChoiceSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('sqlite') }).strict(),
  z.object({ backend: z.literal('mongodb'), uri: mongoUri }).strict(),
])

export const suppressionSchema = z.object({ accountId: id.optional(), phone: z.string().min(5).max(40) }).strict()

/** True for a time zone this runtime knows by its IANA name ("America/Bogota", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

export const reportSchema = z
  .object({
    id,
    format: z.enum(['csv', 'xlsx', 'pdf']),
    lang: z.enum(['es', 'en']).default('es'),
    /** The reader's time zone (the browser's Intl zone); the server's own when missing. */
    tz: z.string().max(64).refine(isTimeZone, 'tz is not a time zone: use an IANA name such as America/Bogota').optional(),
    /** Desktop only: where to save; the Electron adapter asks with a native dialog when it is missing. */
    path: z.string().min(1).max(4_096).optional(),
  })
  .strict()

export const empty = z.object({}).strict().optional()

export type CampaignCreateInput = z.input<typeof campaignCreateSchema>
export type AccountInput = z.input<typeof accountInputSchema>
export type SettingsInput = z.infer<typeof settingsSchema>
export type InstallationInput = z.infer<typeof installationSchema>

/** Turns a zod error into one sentence that names the field, for 400s and the UI. */
export function describeZodError(error: z.ZodError): { message: string; field: string } {
  const first = error.issues[0]
  const field = first?.path.join('.') || '(body)'
  return { message: `${field}: ${first?.message ?? 'invalid'}`, field }
}
