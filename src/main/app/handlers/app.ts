// app.info and settings: what the UI needs to know about this installation and the user's choices.

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { Settings } from '../../../shared/contract'
import type { SettingsInput } from '../../../shared/schemas'
import { DEFAULT_STOP_KEYWORDS } from '../../whatsapp/webhook'

const WEBHOOK_SECRET_KEY = 'webhook:appSecret'
const WEBHOOK_VERIFY_KEY = 'webhook:verifyToken'
const RELAY_KEY = 'relay:apiKey'

type StoredSettings = Omit<Settings, 'webhookAppSecretSet' | 'relayApiKeySet' | 'webhookVerifyToken'>

const defaults: StoredSettings = {
  language: null,
  theme: 'system',
  defaultAccountId: null,
  defaultPacing: { kind: 'seed' },
  relayUrl: '',
  stopKeywords: [...DEFAULT_STOP_KEYWORDS],
  startAtLogin: false,
  autoUpdate: true,
}

/** The app secret that signs Meta's webhooks: env first (headless deployments), then settings. */
export async function webhookSecrets(s: Pick<AppServices, 'store' | 'config'>): Promise<{ appSecret: string | null; verifyToken: string | null }> {
  const sealed = await s.store.settings.get<string>(WEBHOOK_SECRET_KEY)
  return {
    appSecret: process.env.PREGON_APP_SECRET || (sealed ? s.config.secrets.open(sealed) : null),
    verifyToken: process.env.PREGON_VERIFY_TOKEN || (await s.store.settings.get<string>(WEBHOOK_VERIFY_KEY)),
  }
}

export async function relayApiKey(s: Pick<AppServices, 'store' | 'config'>): Promise<string | null> {
  const sealed = await s.store.settings.get<string>(RELAY_KEY)
  return sealed ? s.config.secrets.open(sealed) : null
}

export async function readSettings(s: AppServices, userId: string): Promise<Settings> {
  const stored = (await s.store.settings.get<Partial<StoredSettings>>(`user:${userId}:settings`)) ?? {}
  const secrets = await webhookSecrets(s)
  return {
    ...defaults,
    ...stored,
    defaultAccountId: (await s.store.settings.get<string>(`user:${userId}:defaultAccountId`)) ?? null,
    webhookVerifyToken: secrets.verifyToken ?? '',
    webhookAppSecretSet: Boolean(secrets.appSecret),
    relayApiKeySet: Boolean(await relayApiKey(s)),
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
        osLanguage: s.config.osLanguage ?? 'en',
      }
    },
    'settings.get': (ctx) => readSettings(s, ctx.userId),
    async 'settings.set'(ctx, input: SettingsInput) {
      const { webhookAppSecret, webhookVerifyToken, relayApiKey: relayKey, defaultAccountId, ...rest } = input
      const key = `user:${ctx.userId}:settings`
      const current = (await s.store.settings.get<Partial<StoredSettings>>(key)) ?? {}
      await s.store.settings.set(key, { ...current, ...rest })
      if (defaultAccountId !== undefined) await s.store.settings.set(`user:${ctx.userId}:defaultAccountId`, defaultAccountId)
      if (webhookAppSecret !== undefined) await s.store.settings.set(WEBHOOK_SECRET_KEY, webhookAppSecret ? s.config.secrets.seal(webhookAppSecret) : null)
      if (webhookVerifyToken !== undefined) await s.store.settings.set(WEBHOOK_VERIFY_KEY, webhookVerifyToken)
      if (relayKey !== undefined) await s.store.settings.set(RELAY_KEY, relayKey ? s.config.secrets.seal(relayKey) : null)
      return readSettings(s, ctx.userId)
    },
  }
}
