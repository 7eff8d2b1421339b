// Where Pregón keeps its data: --data-dir, else PREGON_DATA_DIR, else the desktop app's user-data
// folder (the same one Electron's app.getPath('userData') gives), so CLI and desktop share a database.

import os from 'node:os'
import path from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PREGON_DATA_DIR) return path.resolve(env.PREGON_DATA_DIR)
  const home = os.homedir()
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'pregon')
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'pregon')
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'pregon')
  }
}

export function resolveDataDir(option: string | undefined): string {
  return option ? path.resolve(option) : defaultDataDir()
}
