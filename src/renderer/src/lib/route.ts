// Screens as hash routes (#/monitor, #/campaign/<id>): Back, Forward and reload keep the place. The access
// key's own fragment (#key=…) is read and removed by api.ts before any route is written.

import type { Screen } from './appStore'

export interface Route {
  screen: Screen
  campaignId: string | null
}

const SCREENS: readonly Screen[] = ['welcome', 'accounts', 'contacts', 'template', 'review', 'monitor', 'campaign', 'optouts', 'settings']

export function routeToHash({ screen, campaignId }: Route): string {
  return screen === 'campaign' && campaignId ? `#/campaign/${encodeURIComponent(campaignId)}` : `#/${screen}`
}

/** The route a hash names, or null (no route, or one this version does not know). */
export function hashToRoute(hash: string): Route | null {
  const match = /^#\/([a-z]+)(?:\/([^/?#]+))?$/.exec(hash)
  if (!match) return null
  const screen = match[1] as Screen
  if (!SCREENS.includes(screen)) return null
  if (screen === 'campaign') return match[2] ? { screen, campaignId: decodeURIComponent(match[2]) } : null
  return { screen, campaignId: null }
}

/** Writes the route into the address bar: a new history entry, or in place of the current one (`replace`). */
export function pushRoute(route: Route, replace = false): void {
  if (typeof window === 'undefined') return
  const hash = routeToHash(route)
  if (window.location.hash === hash) return
  if (replace) window.history.replaceState(null, '', hash)
  else window.history.pushState(null, '', hash)
}
