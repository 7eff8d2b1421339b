// Property-based fuzzing (fast-check, fixed seed, bounded runs) of what strangers can feed Pregón: contact files,
// Meta's webhooks and every contract method's arguments, the last over HTTP to a real `pregon serve`.
// Whatever comes in: no crash, no 500, and every refusal in the one shape `{ok:false, error:{code, message}}`.

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importContacts, ImportFileError } from '../../src/main/contacts/importer'
import { httpStatusOf } from '../../src/main/http/replies'
import { parseWebhook } from '../../src/main/whatsapp/webhook'
import { methods } from '../../src/shared/contract'
import { API_ERROR_CODES, type ApiErrorCode } from '../../src/shared/errors'
import { startSimulator, type Simulator } from '../../src/sim'
import { messagesWebhook, request, sign, startServe, statusOf, tempDir, type Reply, type ServeProcess } from './httpHarness'

/** Fixed: a failure names its seed and path, and the same inputs come back on every run. */
const SEED = 20_261_202
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns, endOnFailure: true })

const KEY = 'key-fuzz-0123456789abcdef'
const APP_SECRET = 'fuzz-app-secret'
const SIM_TOKEN = 'sim-token-for-fuzz'
const PHONE_ID = '100000000000001'

// ── Contact files ──

const PHONE_CELLS = ['300 123 4567', '+57 310 765 4321', '(315) 222-3344', '5.73001E+11', '0057 300 999 8877', '12', 'abc', '', '+', '3001234567 / 3107654321']
const TEXT_CELLS = ['Ana', 'José Pérez', 'Celular', 'Nombre', 'Teléfono', 'WhatsApp', '"quoted, comma"', '=1+1', '\u0000', '😀']

/** A table-like text file: the importer's real input, with the delimiters, quotes, BOMs and line ends people send. */
const csvText = fc
  .record({
    bom: fc.boolean(),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
    rows: fc.array(fc.array(fc.oneof(fc.constantFrom(...PHONE_CELLS), fc.constantFrom(...TEXT_CELLS), fc.string({ maxLength: 12 })), { maxLength: 6 }), { maxLength: 25 }),
  })
  .map(({ bom, delimiter, newline, rows }) => (bom ? '\uFEFF' : '') + rows.map((row) => row.join(delimiter)).join(newline))

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const contactFile = fc.oneof(
  csvText.map((text) => Buffer.from(text, 'utf8')),
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 1_000 }).map((bytes) => Buffer.from([...ZIP, ...bytes])),
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from([...OLE2, ...bytes])),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')),
)

describe('the contact importer, fuzzed', () => {
  it('either imports (every row counted once, every number E.164) or refuses the file with a reason it can explain', async () => {
    await fc.assert(
      fc.asyncProperty(contactFile, async (data) => {
        try {
          const { contacts, rejected, summary } = await importContacts({ data }, { defaultCountry: 'CO' })
          expect(summary.valid + summary.invalid + summary.duplicates).toBe(summary.rows)
          expect(contacts.length + rejected.length).toBe(summary.rows)
          for (const item of contacts) expect(item.contact.numero).toMatch(/^\+\d{7,15}$/)
        } catch (error) {
          if (!(error instanceof ImportFileError)) throw error
          expect(error.message.length).toBeGreaterThan(10)
        }
      }),
      runs(200),
    )
  })
})

// ── Webhooks ──

const STATUS_VALUES = ['sent', 'delivered', 'read', 'failed', 'deleted', 'warning', '', 'SENT']
/** Meta's envelope with every field replaced, now and then, by something else. */
const messy = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: arb }, fc.jsonValue())
const statusItem = fc.record({
  id: messy(fc.constantFrom('wamid.A', 'wamid.B', '')),
  status: messy(fc.constantFrom(...STATUS_VALUES)),
  timestamp: messy(fc.oneof(fc.integer().map(String), fc.constant('1700000000'), fc.double().map(String))),
  recipient_id: messy(fc.constantFrom('573001234567', '')),
  biz_opaque_callback_data: messy(fc.constantFrom('1', '2', 'x')),
  errors: messy(fc.array(fc.record({ code: messy(fc.integer()), title: messy(fc.string()) }), { maxLength: 2 })),
})
const webhookBody = fc.oneof(
  fc.jsonValue(),
  fc
    .record({ statuses: fc.array(statusItem, { maxLength: 4 }), messages: messy(fc.array(fc.record({ id: messy(fc.string()), type: messy(fc.string()), text: messy(fc.record({ body: messy(fc.string()) })) }), { maxLength: 3 })) })
    .map((value) => messagesWebhook(PHONE_ID, value as { statuses?: object[]; messages?: object[] })),
  fc.record({ object: fc.constant('whatsapp_business_account'), entry: messy(fc.array(fc.record({ id: messy(fc.string()), changes: messy(fc.array(fc.record({ field: messy(fc.constantFrom('messages', 'user_preferences', 'message_template_status_update')), value: fc.jsonValue() }), { maxLength: 3 })) }), { maxLength: 3 })) }),
)

describe('the webhook parser, fuzzed', () => {
  it('never throws, and keeps only statuses it fully understood', () => {
    fc.assert(
      fc.property(webhookBody, (body) => {
        const parsed = parseWebhook(body, 1_700_000_000_000)
        for (const status of parsed.statuses) {
          expect(status.wamid).toMatch(/./)
          expect(['sent', 'delivered', 'read', 'failed']).toContain(status.status)
          expect(Number.isFinite(status.at)).toBe(true)
        }
        for (const message of parsed.inbound) expect(message.id).toMatch(/./)
      }),
      runs(500),
    )
  })
})

// ── The contract over HTTP ──

let serve: ServeProcess
let sim: Simulator
/** Real ids, so that some fuzzed calls reach past "not found". */
const known: { campaignId: string; accountId: string } = { campaignId: '', accountId: '' }

const METHODS = Object.keys(methods) as (keyof typeof methods)[]

/** The argument names a method's schema knows (zod objects expose their shape). */
function fieldsOf(method: keyof typeof methods): string[] {
  const shape = (methods[method] as unknown as { shape?: Record<string, unknown> }).shape
  return shape ? Object.keys(shape) : []
}

const looseValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', ' ', 'a'.repeat(5_000), '../../etc/passwd', '%00', 'NaN', '-1', '1e309', '__proto__', 'constructor'),
  fc.constantFrom(-1, 0, 1, 1.5, 2 ** 53, -(2 ** 31), Number.MAX_SAFE_INTEGER),
  fc.constant(null),
  fc.constantFrom('id-of-a-campaign', 'id-of-an-account').map((which) => (which === 'id-of-a-campaign' ? known.campaignId : known.accountId)),
)

/** Arguments for `method`: its own field names with any values, stray fields, or not an object at all. */
const argsFor = (method: keyof typeof methods): fc.Arbitrary<unknown> => {
  const fields = fieldsOf(method)
  const named = fields.length ? fc.dictionary(fc.constantFrom(...fields), looseValue, { maxKeys: fields.length }) : fc.constant({})
  return fc.oneof(
    { weight: 5, arbitrary: named },
    fc.tuple(named, fc.dictionary(fc.string({ maxLength: 8 }), looseValue, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a })),
    fc.jsonValue({ maxDepth: 2 }),
  )
}

const call = fc.constantFrom(...METHODS).chain((method) => fc.record({ method: fc.constant(method), args: argsFor(method) }))

/** Success with 200 (the seed's routes keep their own success shapes), or `{ok:false, error:{code, message}}` with the status its code means. */
function expectOneShape(reply: Reply<unknown>, what: string): void {
  expect(reply.status, what).not.toBe(500)
  const body = reply.body as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  expect(typeof body === 'object' && body !== null, `${what}: ${String(reply.body).slice(0, 200)}`).toBe(true)
  if (reply.status === 200) {
    expect(body.ok, what).not.toBe(false)
    return
  }
  expect(body.ok, what).toBe(false)
  expect(API_ERROR_CODES, what).toContain(body.error?.code)
  expect(typeof body.error?.message === 'string' && body.error.message.length > 0, what).toBe(true)
  const code = body.error?.code as ApiErrorCode
  // Bad input the framework itself measured keeps its precise status (too long, too large, wrong media type).
  const statuses = code === 'invalid_args' ? [400, 408, 413, 414, 415, 431] : [httpStatusOf(code)]
  expect(statuses, what).toContain(reply.status)
}

beforeAll(async () => {
  sim = await startSimulator({ accessTokens: [SIM_TOKEN] })
  serve = await startServe({ dataDir: tempDir('fuzz') }, { PREGON_API_KEYS: `${KEY}:fuzzer`, PREGON_GRAPH_URL: sim.url, PREGON_APP_SECRET: APP_SECRET })
  const account = await request<{ ok: boolean; value: { id: string } }>(`${serve.url}/api/accounts.add`, {
    key: KEY,
    body: { phoneNumberId: PHONE_ID, wabaId: '200000000000001', accessToken: SIM_TOKEN, defaultCountry: 'CO' },
  })
  expect(account.status, JSON.stringify(account.body)).toBe(200)
  known.accountId = account.body.value.id
  const later = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString()
  const campaign = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
    key: KEY,
    body: { contacts: [{ numero: '573001234567', Nombre: 'Ana' }], template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'Fuzz', scheduledAt: later },
  })
  expect(campaign.status, JSON.stringify(campaign.body)).toBe(200)
  known.campaignId = campaign.body.campaignId
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

describe('every contract method over HTTP, fuzzed', () => {
  it('answers any arguments to any method without a 500, in the one shape', async () => {
    await fc.assert(
      fc.asyncProperty(call, async ({ method, args }) => {
        const reply = await request<unknown>(`${serve.url}/api/${method}`, { key: KEY, raw: JSON.stringify(args) ?? 'null' })
        expectOneShape(reply, `${method}(${JSON.stringify(args)?.slice(0, 300)})`)
      }),
      runs(300),
    )
  })

  it('answers bodies that are not JSON, and ids and paths of any kind, in the one shape', async () => {
    // Raw pieces stay as typed: bad percent-encoding and over-long ids must reach the server as such.
    const pathPart = fc.oneof(
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom('%', '%zz', '%E0%A4%A', '%FF', '%2e%2e', 'a'.repeat(150), 'a'.repeat(5_000), known.campaignId),
    )
    const route = fc.oneof(
      fc.tuple(fc.constantFrom(...METHODS), fc.string({ maxLength: 60 })).map(([method, raw]) => ({ url: `/api/${method}`, method: 'POST', raw })),
      pathPart.map((id) => ({ url: `/api/campaigns/${id}/status`, method: 'GET', raw: undefined })),
      fc.tuple(pathPart, fc.constantFrom('pause', 'resume', 'cancel')).map(([id, action]) => ({ url: `/api/campaigns/${id}/${action}`, method: 'POST', raw: undefined })),
      fc.tuple(pathPart, pathPart).map(([id, format]) => ({ url: `/api/campaigns/${id}/report.${format}`, method: 'GET', raw: undefined })),
      fc.string({ maxLength: 30 }).map((query) => ({ url: `/api/campaigns?${query}`, method: 'GET', raw: undefined })),
    )
    await fc.assert(
      fc.asyncProperty(route, async ({ url, method, raw }) => {
        const reply = await request<unknown>(`${serve.url}${url}`, { key: KEY, method, raw })
        // A finished report is a file, not JSON: only refusals are checked for their shape.
        if (reply.status === 200 && url.includes('/report.')) return
        expectOneShape(reply, `${method} ${url} ${raw ?? ''}`)
      }),
      runs(200),
    )
  })

  it('takes any signed webhook without a 500, and its processing never fails', async () => {
    const statuses = fc.array(fc.tuple(fc.constantFrom('sent', 'delivered', 'read', 'failed'), fc.constantFrom('1', '2', '999')), { maxLength: 3 })
    const body = fc.oneof(webhookBody, statuses.map((list) => messagesWebhook(PHONE_ID, { statuses: list.map(([status, callback], i) => statusOf(`wamid.FUZZ${i}`, status, { callback })) })))
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const raw = JSON.stringify(payload) ?? 'null'
        const reply = await request(`${serve.url}/webhook`, { raw, headers: { 'x-hub-signature-256': sign(raw, APP_SECRET) } })
        expect(reply.status, raw.slice(0, 300)).toBe(200)
      }),
      runs(150),
    )
    const health = await request(`${serve.url}/healthz`)
    expect(health.status).toBe(200)
    expect(serve.output()).not.toMatch(/webhook processing failed|handler failed|http request failed/)
  })
})
