// What the engine keeps per account: credentials, its sender number's limiter, its messaging tier. Cached.

import { accountTier, graphUrlOf, type Account } from '../../shared/types'
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

/** The campaign's account is gone or its token cannot be read: its campaigns cannot send. */
export class AccountUnavailableError extends Error {
  constructor(
    readonly accountId: string,
    message: string,
  ) {
    super(message)
    this.name = 'AccountUnavailableError'
  }
}

export class AccountDirectory {
  private readonly contexts = new Map<string, Promise<AccountContext>>()
  /** One limiter per sender number, whichever accounts (or campaigns) send from it. */
  private readonly limiters = new Map<string, NumberLimiter>()
  /** Kept across `invalidate`, so a tier change keeps counting the reservations of sends in flight. */
  private readonly tiers = new Map<string, MessagingTier>()

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
    if (!account) throw new AccountUnavailableError(accountId, `The account ${accountId} no longer exists; add it again and resume.`)
    const accessToken = await this.store.accounts.getAccessToken(accountId).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error)
      throw new AccountUnavailableError(accountId, `The access token of "${account.label}" cannot be read (${reason}); enter it again and resume.`)
    })
    const graphUrl = graphUrlOf(account, this.config.defaultGraphUrl)
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
    // Unknown tiers are held to 250 (accountTier), never unlimited: a number's quality is its livelihood.
    const limit = accountTier(account).limit ?? Number.POSITIVE_INFINITY
    let tier = this.tiers.get(accountId)
    if (tier) tier.setLimit(limit)
    else {
      tier = new MessagingTier(this.store.ledger, accountId, limit, this.clock)
      this.tiers.set(accountId, tier)
    }
    return { account, creds, limiter, tier }
  }
}
