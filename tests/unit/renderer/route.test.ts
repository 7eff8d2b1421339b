// Screens as addresses: every screen round-trips through its hash, and what is not a route is ignored.

import { describe, expect, it } from 'vitest'
import { hashToRoute, routeToHash } from '../../../src/renderer/src/lib/route'

describe('hash routes', () => {
  it('round-trips every screen, and a campaign with its id', () => {
    for (const screen of ['welcome', 'accounts', 'contacts', 'template', 'review', 'monitor', 'optouts', 'settings'] as const) {
      expect(hashToRoute(routeToHash({ screen, campaignId: null }))).toEqual({ screen, campaignId: null })
    }
    const campaign = { screen: 'campaign' as const, campaignId: 'c0ffee-1/2' }
    expect(routeToHash(campaign)).toBe('#/campaign/c0ffee-1%2F2')
    expect(hashToRoute(routeToHash(campaign))).toEqual(campaign)
  })

  it('ignores the access key fragment, unknown screens and a campaign without its id', () => {
    for (const hash of ['', '#', '#key=abc', '#/nowhere', '#/campaign', '#/campaign/', '#/monitor/extra/parts']) {
      expect(hashToRoute(hash), hash).toBeNull()
    }
  })
})
