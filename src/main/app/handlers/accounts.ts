// Accounts: validate credentials against the Graph API before storing them; the demo account.

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { AccountTierView, AccountView } from '../../../shared/contract'
import { explainTier } from '../../../shared/errorCatalog'
import { accountTier, type Account } from '../../../shared/types'
import { AppError } from '../../../shared/errors'
import { GraphApiError, type GraphCredentials, type PhoneNumberInfo } from '../../whatsapp/types'
import { credentialsFor } from '../credentials'
import { graphFailure } from '../graphFailure'
import { pauseMarketing } from '../qualityUpdates'

/** The built-in simulator's demo number and token (src/sim defaults). */
export const DEMO = { phoneNumberId: '100000000000001', wabaId: '200000000000001', accessToken: 'sim-token' }

export async function toView(s: Pick<AppServices, 'store'>, account: Account): Promise<AccountView> {
  const token = await s.store.accounts.getAccessToken(account.id)
  return { ...account, accessTokenHint: `…${token.slice(-4)}`, messagingTier: tierView(account) }
}

/** The API speaks English; the UI words the same notice in the user's language (explainTier). */
function tierView(account: Pick<Account, 'messagingLimitTier' | 'userMessagingLimitTier'>): AccountTierView {
  const tier = accountTier(account)
  return { ...tier, notice: explainTier(tier, 'en') }
}

/** Asks Meta who these credentials are and whether the WABA is theirs; a refusal says what to fix. */
export async function validateCredentials(s: Pick<AppServices, 'api' | 'templates' | 'log'>, creds: GraphCredentials): Promise<PhoneNumberInfo> {
  const info = await askMeta(s.log, () => s.api.getPhoneNumber(creds))
  await checkWaba(s, creds)
  return info
}

/** Meta's answer when an id names no object the token can see: "Unsupported get request" (100). */
const NO_SUCH_OBJECT = 100

/** Meta's permission errors: 10 and 200–299 ("Requires whatsapp_business_management permission"). */
const isPermissionCode = (code: number | null) => code !== null && (code === 10 || (code >= 200 && code <= 299))

/**
 * A wrong WABA id passes the number read and fails later (templates, webhooks): the number must be one of
 * the WABA's numbers, and the token must read the WABA's templates (this also fills the template cache).
 */
async function checkWaba(s: Pick<AppServices, 'api' | 'templates' | 'log'>, creds: GraphCredentials): Promise<void> {
  const wrongWaba = (why: string) =>
    new AppError('invalid_args', `wabaId: ${why} Copy the "WhatsApp Business Account ID" shown with this number in Meta's API Setup page.`, {
      field: 'wabaId',
      problem: 'waba_mismatch',
    })
  const unknownWaba = (error: GraphApiError) => {
    if (error.code === NO_SUCH_OBJECT) return wrongWaba(`Meta knows no WhatsApp Business Account ${creds.wabaId} for this token (${error.message}).`)
    if (isPermissionCode(error.code)) {
      return new AppError(
        'invalid_args',
        `accessToken: this token may send but cannot read the numbers and templates of the WhatsApp Business Account ${creds.wabaId} (${error.message}). Give the app whatsapp_business_management for this account and create the token again.`,
        { field: 'accessToken', problem: 'token_cannot_manage_waba' },
      )
    }
    return null
  }
  const ids = await askMeta(s.log, () => s.api.listPhoneNumberIds(creds), unknownWaba)
  if (!ids.includes(creds.phoneNumberId)) {
    throw wrongWaba(`the phone number ${creds.phoneNumberId} does not belong to the WhatsApp Business Account ${creds.wabaId}.`)
  }
  await askMeta(s.log, () => s.templates.get(creds, { refresh: true }), unknownWaba)
}

/** Meta's refusal becomes a graph_error with its own reason (or what `refine` makes of it). */
async function askMeta<T>(log: AppServices['log'], ask: () => Promise<T>, refine: (error: GraphApiError) => AppError | null = () => null): Promise<T> {
  try {
    return await ask()
  } catch (error) {
    throw graphFailure(
      log,
      error,
      (meta) =>
        refine(meta) ??
        new AppError('graph_error', `Meta did not accept these credentials: ${meta.message}`, {
          metaCode: meta.code,
          httpStatus: meta.httpStatus,
          metaMessage: meta.message,
        }),
    )
  }
}

function infoPatch(info: PhoneNumberInfo) {
  return {
    verifiedName: info.verifiedName,
    displayPhoneNumber: info.displayPhoneNumber,
    qualityRating: (info.qualityRating ?? null) as Account['qualityRating'],
    messagingLimitTier: info.messagingLimitTier,
    throughputLevel: info.throughputLevel,
    validatedAt: new Date().toISOString(),
  }
}

export function accountHandlers(
  s: AppServices,
): Pick<Handlers, 'accounts.list' | 'accounts.validate' | 'accounts.add' | 'accounts.addDemo' | 'accounts.update' | 'accounts.refresh' | 'accounts.remove'> {
  const credsOf = (input: { phoneNumberId: string; wabaId: string; accessToken: string; graphUrl?: string }): GraphCredentials => ({
    graphUrl: input.graphUrl ?? s.graph.graphUrl,
    version: s.graph.version,
    phoneNumberId: input.phoneNumberId,
    wabaId: input.wabaId,
    accessToken: input.accessToken,
  })

  async function add(
    userId: string,
    input: { label?: string; phoneNumberId: string; wabaId: string; accessToken: string; defaultCountry: string; maxMessagesPerSecond?: number; graphUrl?: string },
    simulated = false,
  ): Promise<AccountView> {
    const info = await validateCredentials(s, credsOf(input))
    const account = await s.store.accounts.create({
      userId,
      label: input.label || info.verifiedName || input.phoneNumberId,
      phoneNumberId: input.phoneNumberId,
      wabaId: input.wabaId,
      accessToken: input.accessToken,
      defaultCountry: input.defaultCountry,
      maxMessagesPerSecond: input.maxMessagesPerSecond ?? (simulated ? 80 : undefined),
      simulated,
      graphUrl: input.graphUrl ?? null,
    })
    const updated = await s.store.accounts.update(account.id, infoPatch(info))
    s.log.info({ accountId: account.id, phoneNumberId: account.phoneNumberId, simulated }, 'account added')
    return toView(s, updated)
  }

  return {
    async 'accounts.list'(ctx) {
      const accounts = await s.store.accounts.list(ctx.userId)
      return Promise.all(accounts.map((a) => toView(s, a)))
    },
    async 'accounts.validate'(_ctx, input) {
      const info = await validateCredentials(s, credsOf(input))
      const { validatedAt: _v, ...rest } = infoPatch(info)
      return { ...rest, messagingTier: tierView({ messagingLimitTier: info.messagingLimitTier, userMessagingLimitTier: null }) }
    },
    'accounts.add': (ctx, input) => add(ctx.userId, input),
    async 'accounts.addDemo'(ctx) {
      if (!s.config.simulatorUrl) throw new AppError('conflict', 'The demo account needs the built-in simulator, which is not running here.')
      const existing = (await s.store.accounts.list(ctx.userId)).find((a) => a.simulated)
      if (existing) return toView(s, existing)
      return add(ctx.userId, { ...DEMO, label: 'Demo', defaultCountry: 'CO', graphUrl: s.config.simulatorUrl }, true)
    },
    async 'accounts.update'(ctx, { id, ...patch }) {
      const account = await s.store.accounts.get(id, ctx.userId)
      if (!account) throw new AppError('not_found', `Account ${id} not found`)
      if (patch.accessToken || (patch.wabaId && patch.wabaId !== account.wabaId)) {
        const stored = await credentialsFor(s, account)
        const creds = { ...stored, accessToken: patch.accessToken || stored.accessToken, wabaId: patch.wabaId ?? stored.wabaId }
        const info = await validateCredentials(s, creds)
        Object.assign(patch, infoPatch(info))
      }
      const updated = await s.store.accounts.update(id, patch)
      s.engine.accountChanged(id)
      return toView(s, updated)
    },
    async 'accounts.refresh'(ctx, { id }) {
      const account = await s.store.accounts.get(id, ctx.userId)
      if (!account) throw new AppError('not_found', `Account ${id} not found`)
      const info = await validateCredentials(s, await credentialsFor(s, account))
      const updated = await s.store.accounts.update(id, infoPatch(info))
      s.engine.accountChanged(id)
      // Meta sends no webhook when it re-rates quality today: a read that finds it newly red acts like one.
      if (updated.qualityRating === 'RED' && account.qualityRating !== 'RED') {
        await pauseMarketing(s, updated, `Meta rates the quality of the number ${updated.displayPhoneNumber ?? updated.phoneNumberId} as low (red).`)
      }
      return toView(s, updated)
    },
    async 'accounts.remove'(ctx, { id }) {
      const removed = await s.store.accounts.remove(id, ctx.userId)
      if (removed) s.engine.accountChanged(id)
      return { removed }
    },
  }
}
