// The data folder holds phones, names, tokens and logs: only its owner may read it (folders 0700, files
// 0600). On Windows it lives in the user's profile, whose default ACLs already keep other users out, and
// chmod only toggles read-only there, so modes are left alone.

import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs'
import path from 'node:path'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

const POSIX = process.platform !== 'win32'

/** Creates `dir` (and missing parents) for its owner only; an existing `dir` is tightened. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  if (POSIX) chmodSync(dir, PRIVATE_DIR_MODE)
}

/**
 * Creates `file` empty with mode 0600 when it does not exist yet, so that whoever opens it next (SQLite,
 * which also gives its -wal and -shm files the database's mode) never makes it readable by others.
 */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE))
  if (POSIX) chmodSync(file, PRIVATE_FILE_MODE)
}

/** What Pregón keeps in its data folder; anything else there (Electron's own files, a user's) is not ours to change. */
const OWN_FILE = /^(pregon\.db(-wal|-shm|-journal)?|secret\.key|engine\.lock)$/
const OWN_FOLDERS = new Set(['logs', 'imports'])

/**
 * Tightens what an older version (or a umask of 022) left readable by others: the data folder, Pregón's
 * files in it and everything in its own subfolders. A data folder pointed at a home directory by mistake
 * loses only its group/other access, never its other files'.
 */
export function tightenDataDir(dataDir: string): void {
  makePrivateDir(dataDir)
  if (!POSIX) return
  for (const name of readdirSync(dataDir)) {
    if (OWN_FILE.test(name) || OWN_FOLDERS.has(name)) tighten(path.join(dataDir, name))
  }
}

/** `entry` and, for a folder, everything under it; symlinks are left alone (chmod would follow them out). */
function tighten(entry: string): void {
  let stat
  try {
    stat = lstatSync(entry)
  } catch {
    return // removed meanwhile (a rolled log, a pruned draft)
  }
  if (stat.isDirectory()) {
    if (stat.mode & 0o077) chmodSync(entry, PRIVATE_DIR_MODE)
    for (const name of readdirSync(entry)) tighten(path.join(entry, name))
  } else if (stat.isFile() && stat.mode & 0o077) {
    chmodSync(entry, PRIVATE_FILE_MODE)
  }
}
