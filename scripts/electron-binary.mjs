// The Electron binary's path, or null when its download never happened (no internet when installing).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** electron's index.js returns the binary's path, or throws when its download never happened. */
export function electronBinary() {
  try {
    const binary = require('electron')
    return typeof binary === 'string' && existsSync(binary) ? binary : null
  } catch {
    return null
  }
}
