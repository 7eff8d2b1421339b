// app.info and settings: what the UI needs to know about this installation, and each user's own choices.
// Installation-wide settings (webhook, relay, Graph API) are the operator's: see installation.ts.

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { Settings } from '../../../shared/contract'
import type { SettingsInput } from '../../../shared/schemas'
import { DEFAULT_STOP_KEYWORDS } from '../../whatsapp/webhook'
import { SHIPPED_RATE_CARD, type RateCard } from '../../../shared/rateCard'

type StoredSettings = Omit<Settings, 'defaultAccountId' | 'rateCard' | 'rateCardEdited'> & { rateCard?: RateCard | null }

const defaults: StoredSettings = {
  language: null,
  theme: 'system',
  defaultPacing: { kind: 'seed' },
  stopKeywords: [...DEFAULT_STOP_KEYWORDS],
  startAtLogin: false,
  autoUpdate: true,
}

export async function readSettings(s: AppServices, userId: string): Promise<Settings> {
  const stored = (await s.store.settings.get<Partial<StoredSettings> & { relayUrl?: unknown }>(`user:${userId}:settings`)) ?? {}
  // Older versions kept the installation's relay URL here too (see adoptLegacyRelayUrl): not this user's to see.
  const { relayUrl: _legacy, rateCard, ...own } = stored
  return {
    ...defaults,
    ...own,
    rateCard: rateCard ?? SHIPPED_RATE_CARD,
    rateCardEdited: Boolean(rateCard),
    defaultAccountId: (await s.store.settings.get<string>(`user:${userId}:defaultAccountId`)) ?? null,
  }
}

export function appHandlers(s: AppServices): Pick<Handlers, 'app.info' | 'settings.get' | 'settings.set'> {
  return {
    async 'app.info'(ctx) {
      const user = await s.store.users.get(ctx.userId)
      return {
        version: s.config.version ?? '0.0.0',
        mode: s.config.mode,
        simulatorUrl: s.config.simulatorUrl ?? null,
        user: { id: ctx.userId, name: user?.name ?? 'local' },
        operator: Boolean(ctx.operator),
        osLanguage: s.config.osLanguage ?? 'en',
      }
    },
    'settings.get': (ctx) => readSettings(s, ctx.userId),
    async 'settings.set'(ctx, input: SettingsInput) {
      const { defaultAccountId, ...rest } = input
      const key = `user:${ctx.userId}:settings`
      const current = (await s.store.settings.get<Partial<StoredSettings>>(key)) ?? {}
      await s.store.settings.set(key, { ...current, ...rest })
      if (defaultAccountId !== undefined) await s.store.settings.set(`user:${ctx.userId}:defaultAccountId`, defaultAccountId)
      return readSettings(s, ctx.userId)
    },
  }
}
