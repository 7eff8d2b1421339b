// Runs the built Electron main bundle (out/main/index.js) in plain Node with a fake `electron` module
// that records every call the shell makes and sends it to the test over the fork IPC channel; the
// test drives it back (invoke an IPC method, emit an app event, quit). Started by electronShell.test.ts.
//
//   FAKE_BUNDLE         the main bundle to run (a staged packaged layout or the project's out/)
//   FAKE_APP_PATH       app.getAppPath()       FAKE_USER_DATA  app.getPath('userData')
//   FAKE_RESOURCES      process.resourcesPath  FAKE_PACKAGED=1 app.isPackaged
//   FAKE_LOCK=taken     another instance holds the single-instance lock
//   FAKE_ARGV           JSON array appended to process.argv (a file opened with Pregón)
//   FAKE_SOON_MS        a setTimeout of exactly this delay fires at once (the first update check)

import { Buffer } from 'node:buffer'
import { EventEmitter } from 'node:events'
import http from 'node:http'
import { createRequire } from 'node:module'
import Module from 'node:module'
import { join } from 'node:path'
import process from 'node:process'
import { setImmediate, setTimeout } from 'node:timers'
import { pathToFileURL } from 'node:url'

const env = process.env
const send = (message) => process.send?.(message)
const record = (name, ...args) => send({ kind: 'call', name, args: JSON.parse(JSON.stringify(args ?? null)) })

const ipcHandlers = new Map()
let headersListener = null
let permissionHandler = null
let rendererUrl = null

class FakeApp extends EventEmitter {
  isPackaged = env.FAKE_PACKAGED === '1'
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock')
    return env.FAKE_LOCK !== 'taken'
  }
  whenReady() {
    record('app.whenReady')
    return new Promise((resolve) => setImmediate(resolve))
  }
  quit() {
    let prevented = false
    this.emit('before-quit', { preventDefault: () => (prevented = true) })
    record('app.quit', { prevented })
    if (prevented) return
    this.emit('will-quit', { preventDefault: () => undefined })
    this.emit('quit', { preventDefault: () => undefined }, 0) // exit code 0
    // What native modules this process loaded: the test checks where SQLite's binding came from.
    const nativeModules = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.endsWith('.node'))
    send({ kind: 'exit', nativeModules })
    // Electron lets pending writes (the log file) finish as it exits: end when the loop drains, or
    // after a moment if a keep-alive socket lingers.
    setTimeout(() => process.exit(0), 2_000).unref()
    if (process.send) process.send({ kind: 'bye' }, () => process.disconnect())
  }
  exit(code) {
    record('app.exit', code)
    process.exit(code)
  }
  getPath(name) {
    return name === 'userData' ? env.FAKE_USER_DATA : join(env.FAKE_USER_DATA, `..`, name)
  }
  getAppPath() {
    return env.FAKE_APP_PATH
  }
  getVersion() {
    return '0.1.0'
  }
  getName() {
    return 'pregon'
  }
  relaunch() {
    record('app.relaunch')
  }
  getPreferredSystemLanguages() {
    return ['es-CO']
  }
  getLoginItemSettings() {
    return { wasOpenedAsHidden: false }
  }
  setLoginItemSettings(settings) {
    record('app.setLoginItemSettings', settings)
  }
}
const app = new FakeApp()

class FakeWebContents extends EventEmitter {
  id = 1
  send(channel, ...args) {
    record('webContents.send', channel, ...args)
  }
  isDestroyed() {
    return false
  }
  setWindowOpenHandler() {
    record('webContents.setWindowOpenHandler')
  }
}

class BrowserWindow extends EventEmitter {
  webContents = new FakeWebContents()
  visible = false
  constructor(options) {
    super()
    record('new BrowserWindow', options)
  }
  loadFile(file) {
    record('window.loadFile', file)
    rendererUrl = pathToFileURL(file).href
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }
  loadURL(url) {
    record('window.loadURL', url)
    return Promise.resolve()
  }
  show() {
    this.visible = true
    record('window.show')
  }
  hide() {
    this.visible = false
    record('window.hide')
  }
  focus() {}
  restore() {}
  isMinimized() {
    return false
  }
  isVisible() {
    return this.visible
  }
  isDestroyed() {
    return false
  }
  setProgressBar(value) {
    record('window.setProgressBar', value)
  }
}

class Tray extends EventEmitter {
  destroyed = false
  constructor(image) {
    super()
    record('new Tray', image)
  }
  setToolTip(text) {
    record('tray.setToolTip', text)
  }
  setImage(image) {
    record('tray.setImage', image)
  }
  setContextMenu(menu) {
    record('tray.setContextMenu', menu)
  }
  destroy() {
    this.destroyed = true
    record('tray.destroy')
  }
  isDestroyed() {
    return this.destroyed
  }
}

class Notification extends EventEmitter {
  static isSupported() {
    return true
  }
  constructor(options) {
    super()
    this.options = options
  }
  show() {
    record('notification.show', this.options)
  }
}

const fakeElectron = {
  app,
  BrowserWindow,
  Tray,
  Notification,
  nativeImage: { createFromPath: (path) => ({ path }) },
  Menu: { buildFromTemplate: (items) => items.map(({ label, type, enabled }) => ({ label, type, enabled })) },
  powerMonitor: new EventEmitter(),
  powerSaveBlocker: {
    start(type) {
      record('powerSaveBlocker.start', type)
      return 7
    },
    stop(id) {
      record('powerSaveBlocker.stop', id)
    },
  },
  safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
  // electron-updater talks HTTP through Electron's net module: Node's http.request is the same shape.
  net: {
    request({ session: _session, redirect: _redirect, ...options }) {
      record('net.request', `${options.protocol ?? 'http:'}//${options.hostname}:${options.port}${options.path}`)
      return http.request(options)
    },
  },
  session: {
    fromPartition: () => ({}),
    defaultSession: {
      webRequest: { onHeadersReceived: (listener) => (record('session.onHeadersReceived'), (headersListener = listener)) },
      setPermissionRequestHandler: (handler) => (record('session.setPermissionRequestHandler'), (permissionHandler = handler)),
    },
  },
  dialog: {
    showErrorBox: (title, message) => record('dialog.showErrorBox', title, message),
    async showMessageBox(...args) {
      const options = args.at(-1)
      record('dialog.showMessageBox', options)
      return { response: 0 } // the first button: "Pause and quit"
    },
    async showSaveDialog() {
      return { canceled: true }
    },
  },
  shell: { openExternal: async (url) => record('shell.openExternal', url) },
  ipcMain: {
    handle: (channel, handler) => (record('ipcMain.handle', channel), ipcHandlers.set(channel, handler)),
    removeHandler: (channel) => ipcHandlers.delete(channel),
  },
}

// Commands from the test.
process.on('message', async (command) => {
  switch (command.cmd) {
    case 'invoke': {
      const handler = ipcHandlers.get('api:invoke')
      const event = { sender: { id: 1 }, senderFrame: { url: rendererUrl } }
      const result = handler ? await handler(event, command.method, command.args) : { ok: false, error: { message: 'no IPC handler yet' } }
      return send({ kind: 'reply', id: command.id, result })
    }
    case 'headers': {
      headersListener({ responseHeaders: command.headers }, (response) => send({ kind: 'reply', id: command.id, result: response }))
      return
    }
    case 'permission': {
      permissionHandler(null, command.permission, (allowed) => send({ kind: 'reply', id: command.id, result: allowed }))
      return
    }
    case 'emit': {
      const target = command.target === 'powerMonitor' ? fakeElectron.powerMonitor : app
      target.emit(command.event, { preventDefault: () => record(`${command.event}.preventDefault`) }, ...command.args)
      return send({ kind: 'reply', id: command.id, result: null })
    }
    case 'quit':
      send({ kind: 'reply', id: command.id, result: null })
      return app.quit()
    default:
      throw new Error(`unknown command ${command.cmd}`)
  }
})

// `require('electron')` from the bundle (and from anything it loads) gets the fake.
const originalLoad = Module._load
Module._load = function load(request, ...rest) {
  return request === 'electron' ? fakeElectron : originalLoad.call(this, request, ...rest)
}
process.resourcesPath = env.FAKE_RESOURCES
if (env.FAKE_SOON_MS) {
  const realSetTimeout = globalThis.setTimeout
  globalThis.setTimeout = (run, ms, ...args) => realSetTimeout(run, ms === Number(env.FAKE_SOON_MS) ? 10 : ms, ...args)
}
process.argv = [process.execPath, env.FAKE_BUNDLE, ...JSON.parse(env.FAKE_ARGV ?? '[]')]
process.on('uncaughtException', (error) => {
  send({ kind: 'crash', message: String(error?.stack ?? error) })
  process.exit(1)
})
send({ kind: 'started' })
createRequire(import.meta.url)(env.FAKE_BUNDLE)
