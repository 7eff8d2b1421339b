// `pregon store copy`: every collection of one store into another, resumable (the target keeps where the copy
// stands; documents are written by key, so a page written twice is one copy) and verified (count and checksum
// of every collection, read back from both sides).

import { COLLECTIONS, VALUABLE_COLLECTIONS, keyOf, type CollectionSpec } from './collections'
import { summarize, type CollectionSummary } from './checksum'
import type { CopyProgress, PortableStore } from './portable'

export interface CopyOptions {
  /** Documents per read and write. */
  pageSize?: number
  /** After each page written: how many of the collection are copied so far. */
  onProgress?: (collection: string, copied: number, total: number) => void
}

export interface CollectionCheck {
  name: string
  source: CollectionSummary
  target: CollectionSummary
  ok: boolean
}

export interface CopyReport {
  /** The copy went on from where a stopped one had left. */
  resumed: boolean
  collections: CollectionCheck[]
  ok: boolean
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CopyRefused'
  }
}

export async function copyStore(from: PortableStore, to: PortableStore, opts: CopyOptions = {}): Promise<CopyReport> {
  const pageSize = opts.pageSize ?? 500
  await from.checkCopyable?.()
  const sourceId = await from.identity()
  const saved = await to.loadProgress()
  if (saved && saved.sourceId !== sourceId) {
    throw new CopyRefused(
      `${to.label} holds an unfinished copy of another installation. Finish that copy (same --from), or copy into an empty target.`,
    )
  }
  if (!saved) await refuseUnlessEmpty(to)
  const progress: CopyProgress = saved ?? { sourceId, done: [], current: null }
  await to.saveProgress(progress)

  for (const spec of COLLECTIONS) {
    if (progress.done.includes(spec.name)) continue
    await copyCollection(from, to, spec, progress, pageSize, opts.onProgress)
  }
  const collections = await verify(from, to)
  const ok = collections.every((c) => c.ok)
  // A verified copy is finished; an unverified one is written whole again by the next run (by key, so
  // nothing doubles), then checked again.
  await to.saveProgress(ok ? null : { sourceId, done: [], current: null })
  return { resumed: Boolean(saved), collections, ok }
}

async function refuseUnlessEmpty(to: PortableStore): Promise<void> {
  for (const name of VALUABLE_COLLECTIONS) {
    const n = await to.count(COLLECTIONS.find((c) => c.name === name) as CollectionSpec)
    if (n > 0) {
      throw new CopyRefused(
        `${to.label} already holds ${n} ${name}: a copy goes into an empty target only, so nothing there is overwritten. ` +
          'Choose an empty folder or database.',
      )
    }
  }
}

async function copyCollection(
  from: PortableStore,
  to: PortableStore,
  spec: CollectionSpec,
  progress: CopyProgress,
  pageSize: number,
  onProgress: CopyOptions['onProgress'],
): Promise<void> {
  const total = await from.count(spec)
  const resumeAt = progress.current?.collection === spec.name ? progress.current : null
  let after = resumeAt?.after ?? null
  let copied = resumeAt?.copied ?? 0
  for (;;) {
    const docs = await from.read(spec, after, pageSize)
    await to.write(spec, docs)
    copied += docs.length
    if (docs.length < pageSize) break
    after = keyOf(spec, docs[docs.length - 1])
    // Saved after the page is written: a stop between the two writes that page again, harmlessly.
    progress.current = { collection: spec.name, after, copied }
    await to.saveProgress(progress)
    onProgress?.(spec.name, copied, total)
  }
  progress.done.push(spec.name)
  progress.current = null
  await to.saveProgress(progress)
  onProgress?.(spec.name, copied, total)
}

/** Count and checksum of every collection on both sides. */
export async function verify(from: PortableStore, to: PortableStore): Promise<CollectionCheck[]> {
  const checks: CollectionCheck[] = []
  for (const spec of COLLECTIONS) {
    const [source, target] = [await summarize(from, spec), await summarize(to, spec)]
    checks.push({ name: spec.name, source, target, ok: source.count === target.count && source.checksum === target.checksum })
  }
  return checks
}
