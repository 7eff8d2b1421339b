// Shared fixtures for the engine suites (unit and integration): a real SQLite store in a temp dir,
// an account, campaigns, an event recorder, a log recorder, and a scripted CloudApi for unit tests.

import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, type Engine, type EngineConfig, type EngineLogger } from '../../../src/main/engine'
import type { Clock } from '../../../src/main/engine/clock'
import { systemClock } from '../../../src/main/engine/clock'
import type { NewRecipient, StatusUpdate, Store } from '../../../src/main/store/ports'
import { createSecretBox } from '../../../src/main/store/secrets'
import { openSqliteStore } from '../../../src/main/store/sqlite'
import type { CloudApi, SendResult } from '../../../src/main/whatsapp/types'
import type { Account, ApiEventName, ApiEvents, Campaign, CampaignStatusEvent, PacingProfile, Recipient, TemplateSpec } from '../../../src/shared/types'

export const SIM_PHONE_NUMBER_ID = '100000000000001'
export const SIM_WABA_ID = '200000000000001'
export const SIM_TOKEN = 'sim-token'
export const HELLO: TemplateSpec = { name: 'hello_world', language: 'en_US' }
export const PROMO: TemplateSpec = {
  name: 'promo_verano',
  language: 'es',
  bodyParams: [
    { type: 'text', text: '{{Nombre}}' },
    { type: 'text', text: '{{Oferta}}' },
  ],
}

export interface TestStore {
  store: Store
  dataDir: string
  close(): Promise<void>
}

export function openTestStore(dataDir = mkdtempSync(join(tmpdir(), 'pregon-engine-'))): TestStore {
  const key = randomBytes(32)
  const store = openSqliteStore({ dataDir, secrets: createSecretBox(key) })
  return {
    store,
    dataDir,
    async close() {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function addAccount(
  store: Store,
  opts: { graphUrl: string; accessToken?: string; mps?: number; userName?: string; tier?: string | null },
): Promise<Account> {
  const { user } = await store.users.create(opts.userName ?? 'Tienda')
  const account = await store.accounts.create({
    userId: user.id,
    label: 'Demo',
    phoneNumberId: SIM_PHONE_NUMBER_ID,
    wabaId: SIM_WABA_ID,
    accessToken: opts.accessToken ?? SIM_TOKEN,
    defaultCountry: 'CO',
    maxMessagesPerSecond: opts.mps ?? 80,
    graphUrl: opts.graphUrl,
  })
  // The simulated number is unlimited unless a test says otherwise (an unknown tier is held to 250).
  return store.accounts.update(account.id, { messagingLimitTier: opts.tier === undefined ? 'TIER_UNLIMITED' : opts.tier })
}

/** `+57300…` numbers, distinct per `offset`. */
export function recipients(count: number, offset = 0): NewRecipient[] {
  return Array.from({ length: count }, (_, i) => ({
    phone: phoneAt(offset + i),
    name: `Cliente ${offset + i}`,
    variables: { Nombre: `Cliente ${offset + i}`, Oferta: '20% de descuento' },
  }))
}

export function phoneAt(index: number): string {
  return `+57300${String(index).padStart(7, '0')}`
}

export function createCampaign(
  store: Store,
  account: Account,
  rows: NewRecipient[],
  opts: { pacing?: PacingProfile; template?: TemplateSpec; status?: 'pending' | 'scheduled'; resumeAt?: string | null } = {},
): Promise<Campaign> {
  return store.campaigns.create(
    {
      userId: account.userId,
      accountId: account.id,
      campaignName: 'Promoción Verano',
      batchId: `cmp_${Math.random().toString(36).slice(2)}`,
      template: opts.template ?? HELLO,
      pacing: opts.pacing ?? { kind: 'off' },
      status: opts.status ?? 'pending',
      resumeAt: opts.resumeAt ?? null,
    },
    rows,
  )
}

type Recorded = { [K in ApiEventName]: { name: K; payload: ApiEvents[K]; at: number } }[ApiEventName]

/** Records every event; waits for one that matches. */
export class EventRecorder {
  readonly events: Recorded[] = []
  private waiters: { match: (e: Recorded) => boolean; resolve: (e: Recorded) => void }[] = []

  readonly emit = <K extends ApiEventName>(name: K, payload: ApiEvents[K]): void => {
    const event = { name, payload, at: Date.now() } as Recorded
    this.events.push(event)
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        waiter.resolve(event)
      }
    }
  }

  statuses(campaignId?: string): CampaignStatusEvent[] {
    return this.events.flatMap((e) =>
      e.name === 'campaign:status' && (!campaignId || e.payload.campaignId === campaignId) ? [e.payload] : [],
    )
  }

  progress(campaignId: string): ApiEvents['campaign:progress'][] {
    return this.events.flatMap((e) => (e.name === 'campaign:progress' && e.payload.campaignId === campaignId ? [e.payload] : []))
  }

  /** Resolves with the first status event (past or future) moving `campaignId` to `to`. */
  waitForStatus(campaignId: string, to: string, timeoutMs = 20_000): Promise<CampaignStatusEvent> {
    const past = this.statuses(campaignId).find((s) => s.to === to)
    if (past) return Promise.resolve(past)
    return this.waitFor((e) => e.name === 'campaign:status' && e.payload.campaignId === campaignId && e.payload.to === to, timeoutMs).then(
      (e) => e.payload as CampaignStatusEvent,
    )
  }

  waitFor(match: (e: Recorded) => boolean, timeoutMs = 20_000): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching event within ${timeoutMs} ms`)), timeoutMs)
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer)
          resolve(e)
        },
      })
    })
  }
}

/** Keeps every log line's message (pino-style calls). */
export class LogRecorder implements EngineLogger {
  readonly lines: { level: string; msg: string }[] = []
  info = (a: object | string, b?: string) => this.lines.push({ level: 'info', msg: typeof a === 'string' ? a : (b ?? '') })
  warn = (a: object | string, b?: string) => this.lines.push({ level: 'warn', msg: typeof a === 'string' ? a : (b ?? '') })
  error = (a: object | string, b?: string) => this.lines.push({ level: 'error', msg: typeof a === 'string' ? a : (b ?? '') })
  messages(): string[] {
    return this.lines.map((l) => l.msg)
  }
}

export interface EngineHarness {
  engine: Engine
  events: EventRecorder
  log: LogRecorder
}

export function startTestEngine(
  store: Store,
  api: CloudApi,
  opts: { graphUrl: string; clock?: Clock; config?: Partial<EngineConfig> },
): EngineHarness {
  const events = new EventRecorder()
  const log = new LogRecorder()
  const engine = createEngine({
    store,
    api,
    clock: opts.clock ?? systemClock,
    emit: events.emit,
    log,
    config: { graphVersion: 'v25.0', defaultGraphUrl: opts.graphUrl, ...opts.config },
    random: () => 0.5,
  })
  return { engine, events, log }
}

/**
 * An in-process CloudApi for unit tests: answers each send with `respond(to)` after the test releases
 * it (`gate`), and remembers every call.
 */
export class ScriptedApi implements CloudApi {
  readonly calls: { to: string; callbackData: string }[] = []
  respond: (to: string) => SendResult = (to) => ({
    ok: true,
    wamid: `wamid.${to}.${this.calls.length}`,
    waId: to.slice(1),
    messageStatus: 'accepted',
    httpStatus: 200,
    latencyMs: 1,
  })
  /** When set, sends wait for it before answering. */
  gate: Promise<void> | null = null

  async sendTemplate(_creds: unknown, to: string, _template: unknown, callbackData: string): Promise<SendResult> {
    this.calls.push({ to, callbackData })
    if (this.gate) await this.gate
    return this.respond(to)
  }
  async getPhoneNumber(): Promise<never> {
    throw new Error('not used by the engine')
  }
  async listPhoneNumberIds(): Promise<never> {
    throw new Error('not used by the engine')
  }
  async listTemplates(): Promise<never> {
    throw new Error('not used by the engine')
  }
  async close(): Promise<void> {}
}

/**
 * The status Meta would post about a row's last send, as the webhook parser reads it: the wamid, the
 * callback data the engine sent with it (its claim's signed `callbackData`), the account's number, and
 * the recipient's WhatsApp id.
 */
export function webhookStatus(
  api: ScriptedApi,
  account: Account,
  row: Pick<Recipient, 'phone' | 'wamid'>,
  status: StatusUpdate['status'],
  extra: Partial<StatusUpdate> = {},
): StatusUpdate {
  const send = api.calls.findLast((call) => call.to === row.phone)
  if (!send) throw new Error(`Nothing was sent to ${row.phone}`)
  return {
    wamid: row.wamid as string,
    callbackId: send.callbackData,
    status,
    at: Date.now(),
    phoneNumberId: account.phoneNumberId,
    recipientWaId: row.phone.slice(1),
    ...extra,
  }
}

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, stepMs))
  }
}
