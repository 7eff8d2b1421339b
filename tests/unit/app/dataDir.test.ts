import path from 'node:path'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { defaultDataDir } from '../../../src/cli/dataDir'

describe('the default data folder', () => {
  it('is PREGON_DATA_DIR when set', () => {
    expect(defaultDataDir({ PREGON_DATA_DIR: '/srv/pregon' }, 'linux')).toBe(path.resolve('/srv/pregon'))
  })

  it('is the desktop app\'s user-data folder on each system', () => {
    expect(defaultDataDir({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'pregon'))
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(path.join('/x', 'pregon'))
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(path.join('C:\\Users\\a\\AppData\\Roaming', 'pregon'))
    expect(defaultDataDir({}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'pregon'))
  })
})
