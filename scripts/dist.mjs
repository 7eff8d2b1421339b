// `npm run dist` (this system) and dist:win / dist:mac / dist:linux: builds the app, packs the
// installers into dist/ with electron-builder (electron-builder.yml), then gives better-sqlite3 back
// its Node build. electron-builder rebuilds native modules in place for Electron's ABI; left so,
// `npm test`, `npm run serve` and the CLI would fail to load SQLite.
// Extra arguments go to electron-builder, e.g. an update feed:
//   npm run dist -- -c.publish.provider=generic -c.publish.url=https://downloads.example.com/pregon
import { spawnSync } from 'node:child_process'
import console from 'node:console'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (command, args) => spawnSync(command, args, { cwd: projectDir, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1

if (run('npm', ['run', 'build']) !== 0) process.exit(1)
const packed = run('npx', ['electron-builder', '--publish', 'never', ...process.argv.slice(2)])
const restored = run('npm', ['rebuild', 'better-sqlite3'])
if (restored !== 0) console.error('[pregon] could not rebuild better-sqlite3 for Node: run `npm rebuild better-sqlite3` before `npm test`.')
if (packed === 0) console.log(`\nInstallers written to ${join(projectDir, 'dist')}`)
process.exit(packed || restored)
