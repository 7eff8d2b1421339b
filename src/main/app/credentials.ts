// Turns a stored account into Graph API credentials (token decrypted only here and in the engine).

import { graphUrlOf, type Account } from '../../shared/types'
import type { AppServices } from './index'
import type { GraphCredentials } from '../whatsapp/types'
import { AppError } from '../../shared/errors'

export async function credentialsFor(services: Pick<AppServices, 'store' | 'graph'>, account: Account): Promise<GraphCredentials> {
  return {
    graphUrl: graphUrlOf(account, services.graph.graphUrl),
    version: services.graph.version,
    phoneNumberId: account.phoneNumberId,
    wabaId: account.wabaId,
    accessToken: await services.store.accounts.getAccessToken(account.id),
  }
}

/** The account a call refers to: the given id, else the user's default, else its only account. */
export async function resolveAccount(
  services: Pick<AppServices, 'store'>,
  userId: string,
  accountId: string | undefined,
): Promise<Account> {
  if (accountId) {
    const account = await services.store.accounts.get(accountId, userId)
    if (!account) throw new AppError('not_found', `Account ${accountId} not found`)
    return account
  }
  const accounts = await services.store.accounts.list(userId)
  const preferred = await services.store.settings.get<string>(`user:${userId}:defaultAccountId`)
  const account = accounts.find((a) => a.id === preferred) ?? accounts[0]
  if (!account) {
    throw new AppError('invalid_args', 'No WhatsApp account yet: add one (phone number id, WABA id, access token) or try the demo account first.', {
      field: 'accountId',
    })
  }
  return account
}
