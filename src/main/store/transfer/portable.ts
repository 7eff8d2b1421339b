// A store seen as collections of plain documents: what `pregon store copy` reads from one backend and
// writes to another. Each backend maps its own layout to the portable documents (SQLite's rows).

import type { CollectionSpec, Doc, DocKey } from './collections'

/** Where a copy stands, kept in the target so a stopped copy resumes where it was. */
export interface CopyProgress {
  /** Names the source, so a copy is not resumed from another one. */
  sourceId: string
  /** Collections copied whole. */
  done: string[]
  /** The collection being copied, the key of the last document written and how many were. */
  current: { collection: string; after: DocKey; copied: number } | null
}

export interface PortableStore {
  /** For messages: a path, or a MongoDB address without its credentials. */
  readonly label: string
  /** Stable for one installation (its callback key's fingerprint): a resumed copy must read the same source. */
  identity(): Promise<string>
  /** As a source: throws, before anything is written, what would stop the copy half-way. */
  checkCopyable?(): Promise<void>
  count(spec: CollectionSpec): Promise<number>
  /** Up to `limit` documents after `after` (null: from the start), in key order. */
  read(spec: CollectionSpec, after: DocKey | null, limit: number): Promise<Doc[]>
  /** Inserts or replaces by key: writing the same documents twice leaves one copy of each. */
  write(spec: CollectionSpec, docs: Doc[]): Promise<void>
  loadProgress(): Promise<CopyProgress | null>
  saveProgress(progress: CopyProgress | null): Promise<void>
  close(): Promise<void>
}
