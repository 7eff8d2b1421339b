// Accounts: validate credentials against the Graph API before storing them; the demo account.

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { AccountView } from '../../../shared/contract'
import type { Account } from '../../../shared/types'
import { AppError } from '../../../shared/errors'
import type { GraphCredentials, PhoneNumberInfo } from '../../whatsapp/types'
import { credentialsFor } from '../credentials'
import { graphFailure } from '../graphFailure'

/** The built-in simulator's demo number and token (src/sim defaults). */
export const DEMO = { phoneNumberId: '100000000000001', wabaId: '200000000000001', accessToken: 'sim-token' }

export async function toView(s: Pick<AppServices, 'store'>, account: Account): Promise<AccountView> {
  const token = await s.store.accounts.getAccessToken(account.id)
  return { ...account, accessTokenHint: `…${token.slice(-4)}` }
}

/** Asks Meta who these credentials are; its refusal becomes a graph_error with Meta's own reason. */
export async function validateCredentials(s: Pick<AppServices, 'api' | 'log'>, creds: GraphCredentials): Promise<PhoneNumberInfo> {
  try {
    return await s.api.getPhoneNumber(creds)
  } catch (error) {
    throw graphFailure(
      s.log,
      error,
      (meta) => new AppError('graph_error', `Meta did not accept these credentials: ${meta.message}`, { metaCode: meta.code, httpStatus: meta.httpStatus }),
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
      return rest
    },
    'accounts.add': (ctx, input) => add(ctx.userId, input),
    async 'accounts.addDemo'(ctx) {
      if (!s.config.simulatorUrl) throw new AppError('conflict', 'The demo account needs the built-in simulator, which is not running here.')
      const existing = (await s.store.accounts.list(ctx.userId)).find((a) => a.simulated)
      if (existing) return toView(s, existing)
      return add(ctx.userId, { ...DEMO, label: 'Demo (simulated)', defaultCountry: 'CO', graphUrl: s.config.simulatorUrl }, true)
    },
    async 'accounts.update'(ctx, { id, ...patch }) {
      const account = await s.store.accounts.get(id, ctx.userId)
      if (!account) throw new AppError('not_found', `Account ${id} not found`)
      if (patch.accessToken) {
        const creds = { ...(await credentialsFor(s, account)), accessToken: patch.accessToken }
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
      return toView(s, updated)
    },
    async 'accounts.remove'(ctx, { id }) {
      const removed = await s.store.accounts.remove(id, ctx.userId)
      if (removed) s.engine.accountChanged(id)
      return { removed }
    },
  }
}
