// `npm start`: opens the desktop app when the Electron binary is installed; otherwise says so and points to `npm run serve`.
import { spawnSync } from 'node:child_process'
import console from 'node:console'
import process from 'node:process'
import { electronBinary } from './electron-binary.mjs'

if (!electronBinary()) {
  console.error(
    [
      'Pregón: the Electron binary is missing, so the desktop app cannot open.',
      'It is downloaded when installing; that needs internet access (was there none?).',
      '',
      'Either reinstall with internet access (`npm install`), or run Pregón headless and use it in your browser:',
      '',
      '    npm run serve',
      '',
    ].join('\n'),
  )
  process.exit(1)
}

// `electron-vite preview` builds main, preload and renderer, then launches Electron on the build.
const result = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit', shell: process.platform === 'win32' })
process.exit(result.status ?? 1)
