// Where this installation keeps its data, chosen in Settings → Storage: a small file in the data folder (the
// MongoDB address sealed like the tokens), read before any store opens. No file means the embedded SQLite.
// The decision at start is one plain function, so the desktop and `pregon serve` take it the same way.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PRIVATE_FILE_MODE, makePrivateDir } from '../fs/privateFiles'
import { testMongoConnection, type ConnectionTestResult } from '../store/mirror/connectionTest'
import type { SecretBox } from '../store/ports'
import { redactMongoUri } from '../store/transfer/location'

export const STORE_CHOICE_FILE = 'store-choice.json'

/** How this start opens its data. `held`: MongoDB was chosen but did not answer — SQLite's data is shown, nothing sends. */
export type StartStore =
  | { kind: 'sqlite' }
  | { kind: 'mongodb'; uri: string; source: 'flag' | 'saved' }
  | { kind: 'held'; target: string; detail: string }

/** The saved MongoDB address, or null when the installation keeps SQLite. */
export function readStoreChoice(dataDir: string, secrets: SecretBox): string | null {
  const file = path.join(dataDir, STORE_CHOICE_FILE)
  if (!existsSync(file)) return null
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { backend?: string; uri?: string }
    return saved.backend === 'mongodb' && saved.uri ? secrets.open(saved.uri) : null
  } catch (error) {
    // Sealed with another key (another PC's keychain) or damaged: say which file, and how to get going again.
    throw new Error(`The storage choice in ${file} cannot be read (${(error as Error).message}). ` +
      'Delete that file to start with the data folder\'s SQLite, then choose MongoDB again in Settings → Storage.')
  }
}

/** Saves MongoDB (an address) or SQLite (null) for the next start. */
export function saveStoreChoice(dataDir: string, secrets: SecretBox, uri: string | null): void {
  const file = path.join(dataDir, STORE_CHOICE_FILE)
  if (uri === null) return rmSync(file, { force: true })
  makePrivateDir(dataDir)
  writeFileSync(file, JSON.stringify({ backend: 'mongodb', uri: secrets.seal(uri) }), { mode: PRIVATE_FILE_MODE })
}

/**
 * A flag or the environment wins and is used as given (a wrong one fails the start loudly). A saved choice is
 * tested first: one that does not answer must not turn into sending from an empty SQLite, so the start is held.
 */
export function startStoreDecision(flagUri: string | undefined, savedUri: string | null, test: ConnectionTestResult | null): StartStore {
  if (flagUri) return { kind: 'mongodb', uri: flagUri, source: 'flag' }
  if (!savedUri) return { kind: 'sqlite' }
  if (test?.ok) return { kind: 'mongodb', uri: savedUri, source: 'saved' }
  return { kind: 'held', target: redactMongoUri(savedUri), detail: test && !test.ok ? `${test.reason}: ${test.detail}` : 'not tested' }
}

export async function chooseStartStore(opts: { dataDir: string; secrets: SecretBox; flagUri?: string; timeoutMs?: number }): Promise<StartStore> {
  if (opts.flagUri) return startStoreDecision(opts.flagUri, null, null)
  const saved = readStoreChoice(opts.dataDir, opts.secrets)
  const test = saved ? await testMongoConnection(saved, opts.timeoutMs) : null
  return startStoreDecision(undefined, saved, test)
}

/** The createApp settings for a start decision. */
export function startStoreConfig(start: StartStore): { mongodbUri?: string; mongodbUnreachable?: { target: string; detail: string } } {
  switch (start.kind) {
    case 'sqlite':
      return {}
    case 'mongodb':
      return { mongodbUri: start.uri }
    case 'held':
      return { mongodbUnreachable: { target: start.target, detail: start.detail } }
  }
}
