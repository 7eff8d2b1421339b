// What the engine keeps per account: credentials, its sender number's limiter, its messaging tier. Cached.

import { tierLimit, type Account } from '../../shared/types'
import type { Store } from '../store/ports'
import type { GraphCredentials } from '../whatsapp/types'
import type { Clock } from './clock'
import { MessagingTier } from './messagingTier'
import { NumberLimiter } from './numberLimiter'
import type { EngineConfig } from './types'

export interface AccountContext {
  account: Account
  creds: GraphCredentials
  limiter: NumberLimiter
  tier: MessagingTier
}

export class AccountNotFoundError extends Error {
  constructor(readonly accountId: string) {
    super(`Account ${accountId} does not exist (was it removed?).`)
    this.name = 'AccountNotFoundError'
  }
}

export class AccountDirectory {
  private readonly contexts = new Map<string, Promise<AccountContext>>()
  /** One limiter per sender number, whichever accounts (or campaigns) send from it. */
  private readonly limiters = new Map<string, NumberLimiter>()

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: EngineConfig,
  ) {}

  get(accountId: string): Promise<AccountContext> {
    let context = this.contexts.get(accountId)
    if (!context) {
      context = this.load(accountId)
      this.contexts.set(accountId, context)
      context.catch(() => this.contexts.delete(accountId))
    }
    return context
  }

  /** Drops cached credentials, limits and tier; the next `get` reads the account again. */
  invalidate(accountId: string): void {
    this.contexts.delete(accountId)
  }

  close(): void {
    for (const limiter of this.limiters.values()) limiter.close()
  }

  private async load(accountId: string): Promise<AccountContext> {
    const account = await this.store.accounts.get(accountId)
    if (!account) throw new AccountNotFoundError(accountId)
    const accessToken = await this.store.accounts.getAccessToken(accountId)
    const graphUrl = account.graphUrl ?? this.config.defaultGraphUrl
    const creds: GraphCredentials = {
      graphUrl,
      version: this.config.graphVersion,
      phoneNumberId: account.phoneNumberId,
      wabaId: account.wabaId,
      accessToken,
    }
    const maxPerSec = account.maxMessagesPerSecond > 0 ? account.maxMessagesPerSecond : this.config.defaultMps
    const key = `${graphUrl}#${account.phoneNumberId}`
    let limiter = this.limiters.get(key)
    if (limiter) limiter.setLimits(maxPerSec, this.config.maxInFlightPerNumber)
    else {
      limiter = new NumberLimiter({ maxPerSec, maxInFlight: this.config.maxInFlightPerNumber, clock: this.clock })
      this.limiters.set(key, limiter)
    }
    const tier = new MessagingTier(this.store.ledger, accountId, tierLimit(account.messagingLimitTier), this.clock)
    return { account, creds, limiter, tier }
  }
}
