// Fetches the Electron binary the way electron's own install script does, but never fails
// `npm install`: on machines with no route to GitHub (CI, sandboxes) Pregón still installs and
// runs headless (`npm run serve`); `npm start` then explains what is missing.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import path from 'node:path'

const require = createRequire(import.meta.url)
let installScript
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js')
} catch {
  process.exit(0) // production install without devDependencies: nothing to fetch
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(installScript)) process.exit(0)

const result = spawnSync(process.execPath, [installScript], { stdio: 'inherit', timeout: 300_000 })
if (result.status !== 0) {
  console.warn(
    '\n[pregon] The Electron binary could not be downloaded (no internet?). ' +
      'Everything else is installed: run the app headless with `npm run serve` and open it in a browser.\n',
  )
}
