// A campaign made from a stream of contacts: a draft filled batch by batch, sealed only once the whole
// list has been read and found sendable. Any failure on the way removes the draft, so nothing half-made
// is ever seen or sent; memory holds one batch, never the list.

import type { Campaign, SeedContact } from '../../shared/types'
import type { NewCampaign, Store } from '../store/ports'
import type { Audience } from './campaignAudience'

/** Rows per store write: big enough that a transaction's cost is spread, small enough to stay a few MB. */
export const CREATE_BATCH = 5_000

export async function createCampaign(
  store: Store,
  input: NewCampaign,
  audience: Audience,
  contacts: AsyncIterable<readonly SeedContact[]>,
): Promise<Campaign> {
  const draft = await store.campaigns.begin(input)
  try {
    for await (const batch of contacts) {
      if (batch.length > 0) await store.campaigns.appendRecipients(draft.id, await audience.add(batch))
    }
    audience.finish()
    return await store.campaigns.seal(draft.id)
  } catch (error) {
    await store.campaigns.discardDraft(draft.id)
    throw error
  }
}

/** A list already in memory (the seed's JSON body), in the batches `createCampaign` takes. */
export async function* inBatches<T>(items: readonly T[], size = CREATE_BATCH): AsyncIterable<readonly T[]> {
  for (let at = 0; at < items.length; at += size) yield items.slice(at, at + size)
}
