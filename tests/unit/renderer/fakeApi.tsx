// A fake ApiClient for component tests (the renderer's boundary), plus a render helper with i18n and the API.

import type { ReactElement } from 'react'
import { render, type RenderResult } from '@testing-library/react'
import { I18nextProvider } from 'react-i18next'
import type { AccountView, ApiArgs, ApiMethod, ApiResults } from '../../../src/shared/contract'
import { AppError, type ApiResult } from '../../../src/shared/errors'
import type { ApiEventName, ApiEvents } from '../../../src/shared/types/events'
import { accountTier, type Campaign } from '../../../src/shared/types'
import { explainTier } from '../../../src/shared/errorCatalog'
import { ApiContext, type ReportExport, type ReportFormat, type UiClient } from '../../../src/renderer/src/lib/api'
import { initI18n, setUiLanguage, type UiLang } from '../../../src/renderer/src/lib/i18n'

export interface ExportRequest {
  id: string
  format: ReportFormat
  lang: UiLang
}

type Handler<M extends ApiMethod> = (args: ApiArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>
export type Handlers = { [M in ApiMethod]?: Handler<M> }

export interface FakeApi extends UiClient {
  calls: { method: ApiMethod; args: unknown }[]
  /** Every exportReport call, in order. */
  exports: ExportRequest[]
  callsTo<M extends ApiMethod>(method: M): ApiArgs<M>[]
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void
}

/** `exportReport` answers what `onExport` returns (or throws); by default the browser's "downloaded". */
export function fakeApi(handlers: Handlers, onExport?: (request: ExportRequest) => ReportExport | Promise<ReportExport>): FakeApi {
  const calls: { method: ApiMethod; args: unknown }[] = []
  const exports: ExportRequest[] = []
  const listeners = new Map<ApiEventName, Set<(payload: never) => void>>()
  return {
    calls,
    exports,
    async exportReport(id, format, lang) {
      exports.push({ id, format, lang })
      return onExport ? onExport({ id, format, lang }) : { kind: 'downloaded', fileName: `report.${format}`, bytes: 1 }
    },
    callsTo: <M extends ApiMethod>(method: M) => calls.filter((c) => c.method === method).map((c) => c.args as ApiArgs<M>),
    async invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<ApiResults[M]>> {
      calls.push({ method, args })
      const handler = handlers[method] as Handler<M> | undefined
      if (!handler) return { ok: false, error: { code: 'internal', message: `no fake for ${method}` } }
      try {
        return { ok: true, value: await handler(args) }
      } catch (e) {
        // A handler throws like the core does: an AppError keeps its code and details.
        return { ok: false, error: e instanceof AppError ? e.toData() : { code: 'invalid_args', message: (e as Error).message } }
      }
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: never) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: never) => void)
    },
    emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: ApiEvents[E]) => void)(payload)
    },
  }
}

export function renderWithApi(ui: ReactElement, api: UiClient, lang: UiLang = 'en'): RenderResult {
  const i18n = initI18n(lang)
  setUiLanguage(lang)
  return render(ui, {
    wrapper: ({ children }) => (
      <I18nextProvider i18n={i18n}>
        <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
      </I18nextProvider>
    ),
  })
}

/** The simulated demo account as accounts.list shows it. */
export function account(overrides: Partial<AccountView> = {}): AccountView {
  const base: Omit<AccountView, 'messagingTier'> = {
    id: 'acc_1',
    userId: 'u1',
    label: 'Demo',
    phoneNumberId: '123456',
    wabaId: '654321',
    defaultCountry: 'CO',
    maxMessagesPerSecond: 80,
    verifiedName: 'Tienda Demo',
    displayPhoneNumber: null,
    qualityRating: 'GREEN',
    messagingLimitTier: 'TIER_250',
    throughputLevel: null,
    validatedAt: null,
    simulated: true,
    graphUrl: null,
    webhookVerifyToken: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    accessTokenHint: '…abcd',
    userMessagingLimitTier: null,
    ...overrides,
  }
  return { messagingTier: tierView(base), ...base }
}

/** What the core says about the tier the account is held to (toView does the same). */
export function tierView(tiers: Pick<AccountView, 'messagingLimitTier' | 'userMessagingLimitTier'>): AccountView['messagingTier'] {
  const tier = accountTier(tiers)
  return { ...tier, notice: explainTier(tier, 'en') }
}

export function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'c1',
    userId: 'u1',
    accountId: 'a1',
    campaignName: 'Summer promo',
    batchId: 'cmp_1',
    template: { name: 'promo_verano', language: 'es' },
    status: 'processing',
    pacing: { kind: 'seed' },
    createdAt: '2025-10-13T10:00:00.000Z',
    startedAt: '2025-10-13T10:00:05.000Z',
    lastProcessedAt: null,
    completedAt: null,
    pausedAt: null,
    resumeAt: null,
    error: null,
    errorDetail: null,
    processed: 40,
    successCount: 35,
    failedCount: 5,
    contactsCount: 150,
    deliveredCount: 20,
    readCount: 10,
    repliedCount: 2,
    skippedCount: 10,
    uncertainCount: 0,
    ...overrides,
  }
}
