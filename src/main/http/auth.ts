// API keys → users (tenants): `Authorization: Bearer <key>`, or `?key=` where a browser cannot send headers.

import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { User, UserStore } from '../store/ports'

/** The key a request carries: the Bearer header, or the `key` query parameter when `allowQuery`. */
export function requestKey(req: FastifyRequest, allowQuery: boolean): string | null {
  const header = req.headers.authorization
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (match) return match[1]
  }
  if (allowQuery) {
    const key = (req.query as Record<string, unknown> | undefined)?.key
    if (typeof key === 'string' && key) return key
  }
  return null
}

/** Whether `key` is the operator's admin key; compared in constant time, so timing does not reveal it. */
export function isAdminKey(key: string, adminKey: string | null | undefined): boolean {
  if (!adminKey) return false
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(key), digest(adminKey))
}

/**
 * Looks keys up in the store, remembering the answers for a short while: hashing and a query per
 * request would otherwise be the most frequent work of a busy status poller.
 */
export function createKeyResolver(users: UserStore, ttlMs = 30_000): (key: string) => Promise<User | null> {
  const cache = new Map<string, { user: User | null; until: number }>()
  return async (key) => {
    const now = Date.now()
    const hit = cache.get(key)
    if (hit && hit.until > now) return hit.user
    const user = await users.findByApiKey(key)
    // Unknown keys are remembered briefly too, so guessing keys costs the server nothing.
    if (cache.size > 10_000) cache.clear()
    cache.set(key, { user, until: now + (user ? ttlMs : 2_000) })
    return user
  }
}

/**
 * `PREGON_API_KEYS="key:user,key2:user2"` → [{key, name}]. Split at the last colon: keys may contain
 * colons, names may not, and neither may contain commas.
 */
export function parseApiKeys(spec: string | undefined): { key: string; name: string }[] {
  if (!spec?.trim()) return []
  return spec
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf(':')
      const key = at > 0 ? pair.slice(0, at).trim() : ''
      const name = at > 0 ? pair.slice(at + 1).trim() : ''
      if (!key || !name) {
        throw new Error(`PREGON_API_KEYS: "${pair}" is not "key:user". Write pairs like "s3cr3t-key:ana,0th3r-key:luis".`)
      }
      return { key, name }
    })
}
