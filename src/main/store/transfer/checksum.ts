// A checksum per collection that two backends compute alike: each document as canonical JSON (sorted keys),
// hashed, and the hashes added modulo 2^256 — so the order each backend returns documents in does not matter.

import { createHash } from 'node:crypto'
import type { CollectionSpec, Doc } from './collections'
import type { PortableStore } from './portable'

const MOD = 1n << 256n

/**
 * JSON with object keys sorted at every depth, and fields that are null left out: a NULL column and a field
 * a document does not have are the same data (one backend may know a field the other's version does not yet).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined && (value as Record<string, unknown>)[k] !== null)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export const docHash = (doc: Doc): bigint => BigInt(`0x${createHash('sha256').update(canonicalJson(doc)).digest('hex')}`)

export interface CollectionSummary {
  count: number
  /** 64 hex digits. */
  checksum: string
}

/** Reads the whole collection in pages of `pageSize`. */
export async function summarize(store: PortableStore, spec: CollectionSpec, pageSize = 1_000): Promise<CollectionSummary> {
  let sum = 0n
  let count = 0
  let after: unknown[] | null = null
  for (;;) {
    const docs = await store.read(spec, after, pageSize)
    for (const doc of docs) sum = (sum + docHash(doc)) % MOD
    count += docs.length
    if (docs.length < pageSize) break
    after = spec.key.map((field) => docs[docs.length - 1][field])
  }
  return { count, checksum: sum.toString(16).padStart(64, '0') }
}
