// What is done with a campaign once it has run: archive it (out of the monitor, rows kept) or send it
// again, with the same template and pace, to part of the same list ("send again to…").

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import { AppError } from '../../../shared/errors'
import { TERMINAL_CAMPAIGN_STATUSES, type Recipient, type RecipientState, type SeedContact } from '../../../shared/types'
import type { ApiParsedArgs } from '../../../shared/contract'
import { campaignHandlers } from './campaigns'

type Audience = ApiParsedArgs<'campaigns.clone'>['audience']

/** The rows each audience takes again. Skipped rows come along: the new campaign skips opted-out and invalid numbers by itself. */
const AUDIENCE_STATES: Record<Audience, readonly RecipientState[] | null> = {
  all: null,
  not_delivered: ['queued', 'sending', 'retry_wait', 'sent', 'failed', 'uncertain', 'skipped'],
  not_read: ['queued', 'sending', 'retry_wait', 'sent', 'delivered', 'failed', 'uncertain', 'skipped'],
  failed: ['failed'],
}

const BATCH = 1_000

/** The seed's contact for a row: `numero` and every variable the list had (Nombre included). */
const asContact = (row: Recipient): SeedContact => ({ ...row.variables, numero: row.phone }) as SeedContact

export function campaignCopyHandlers(s: AppServices): Pick<Handlers, 'campaigns.archive' | 'campaigns.clone'> {
  const create = campaignHandlers(s)['campaigns.create']

  async function own(userId: string, id: string) {
    const campaign = await s.store.campaigns.get(id, userId)
    if (!campaign) throw new AppError('not_found', `Campaign ${id} not found`)
    return campaign
  }

  return {
    async 'campaigns.archive'(ctx, { id, archived }) {
      const campaign = await own(ctx.userId, id)
      // Hidden while it still sends, a campaign would be forgotten: only finished ones are archived.
      if (archived && !TERMINAL_CAMPAIGN_STATUSES.includes(campaign.status)) {
        throw new AppError('invalid_transition', `Only a finished campaign can be archived; this one is ${campaign.status}: cancel it or let it finish first.`, {
          status: campaign.status,
        })
      }
      await s.store.campaigns.setArchived(id, archived)
      return { archived }
    },

    async 'campaigns.clone'(ctx, { id, audience, campaignName }) {
      const campaign = await own(ctx.userId, id)
      const states = AUDIENCE_STATES[audience]
      const contacts: SeedContact[] = []
      for await (const rows of s.store.ledger.iterate(id, BATCH)) {
        for (const row of rows) if (!states || states.includes(row.state)) contacts.push(asContact(row))
      }
      if (contacts.length === 0) {
        throw new AppError('invalid_args', `audience: nobody in "${campaign.campaignName}" is ${audience.replace('_', ' ')}; choose another group.`, { field: 'audience' })
      }
      return create(ctx, { contacts: contacts as ApiParsedArgs<'campaigns.create'>['contacts'], template: campaign.template, campaignName, accountId: campaign.accountId, pacing: campaign.pacing })
    },
  }
}
