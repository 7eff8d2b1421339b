// The Electron shell: one instance, one locked-down window, the tray, notifications, files opened with
// Pregón, updates; the decisions live in ./shell.

import './runtime/tuneV8'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  safeStorage,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron'
import { IPC_EVENT, type Settings } from '../shared/contract'
import { assertNever } from '../shared/assertNever'
import { startSimulator } from '../sim'
import { createApp, type App } from './app'
import { chooseStartStore, startStoreConfig } from './app/storeChoice'
import { startDesktopWebhooks } from './http/desktopWebhooks'
import { createServer, type AddressInfo } from 'node:net'
import { bindIpc, type IpcApp } from './ipc'
import { createLogger, type Logger } from './log/logger'
import { ShellController, trayIconFile, type TrayView } from './shell/controller'
import { osLanguage, type ShellLang } from './shell/i18n'
import { closeAction, loginItemSettings, quitDecision, shellSettingsChange, startsHidden, type ShellSettings } from './shell/lifecycle'
import type { TrayAction, TrayMenuItem } from './shell/menu'
import { NAVIGATE_EVENT, navigatePayload, type ShellNotification } from './shell/notifications'
import { OPEN_FILE_EVENT, OpenFileInbox, fileToOpen } from './shell/openFiles'
import { sqliteNativeBinding, updateFeedConfigured } from './shell/packaged'
import { createShellSecretBox } from './shell/secretBox'
import { contentSecurityPolicy, externalLinkAction, navigationAllowed, rendererOrigin, withCsp } from './shell/security'
import { UpdateScheduler } from './shell/updates'

const devServerUrl = process.env.ELECTRON_RENDERER_URL
const rendererIndex = join(__dirname, '../renderer/index.html')
const origin = rendererOrigin(devServerUrl, pathToFileURL(rendererIndex).href)
const resourcesDir = join(app.getAppPath(), 'resources')

let window: BrowserWindow | null = null
let tray: Tray | null = null
let quitting = false
let systemShutdown = false
let quitInProgress: Promise<void> | null = null
let updates: UpdateScheduler | null = null
const liveNotifications = new Set<Notification>()
// "Open with Pregón": the file waits here until the window's page listens, then the importer opens it.
const openedFiles = new OpenFileInbox((file) => {
  showWindow()
  window?.webContents.send(IPC_EVENT, OPEN_FILE_EVENT, file)
})

// A second engine on the same database must never start: the second launch only wakes the first
// (and hands over the file it was opened with).
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    showWindow()
    const file = fileToOpen(argv, workingDirectory)
    if (file) openedFiles.receive(file)
  })
  // macOS hands files over in an event, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    openedFiles.receive(path)
  })
  const launchFile = fileToOpen(process.argv, process.cwd())
  if (launchFile) openedFiles.receive(launchFile)
  app.on('activate', showWindow)
  // Closing the window hides it: the app lives in the tray until the owner quits.
  app.on('window-all-closed', () => undefined)
  app.whenReady().then(main, (error: unknown) => fatal(error))
}

function showWindow(): void {
  if (!window || window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

function fatal(error: unknown): void {
  dialog.showErrorBox('Pregón', error instanceof Error ? error.message : String(error))
  app.exit(1)
}

async function main(): Promise<void> {
  const dataDir = app.getPath('userData')
  let lang: ShellLang = osLanguage(app.getPreferredSystemLanguages())
  const log = await createLogger({ dataDir, stdout: !app.isPackaged })
  const secrets = createShellSecretBox(safeStorage, { dataDir, log })
  // The demo account's Cloud API: the simulator, in-process, on loopback only. Its port is fixed
  // first so the app knows the demo URL; it starts once the webhook endpoint exists.
  const simulatorPort = await freeLoopbackPort()
  // Settings → Storage may have chosen MongoDB; one that does not answer holds the start (nothing sends).
  const start = await chooseStartStore({ dataDir, secrets, flagUri: process.env.PREGON_MONGODB_URI || undefined })
  // Packaged, SQLite's native binding is outside app.asar (electron-builder.yml: asarUnpack). The core opens the
  // store itself, as in `pregon serve`: a store handed in reads as "another backend" and turns the mirror off.
  const sqliteBinding = sqliteNativeBinding(app, process.resourcesPath)
  const core = await createApp({ dataDir, secrets, sqliteNativeBinding: sqliteBinding, ...startStoreConfig(start), mode: 'desktop', simulatorUrl: `http://127.0.0.1:${simulatorPort}`, logger: log, osLanguage: lang, version: app.getVersion() })
  const localUser = await core.store.users.ensureLocal()
  const webhooks = await startDesktopWebhooks(core, { userId: localUser.id })
  const simulator = await startSimulator({
    host: '127.0.0.1',
    port: simulatorPort,
    ...(webhooks.webhookUrl ? { webhook: { url: webhooks.webhookUrl, appSecret: webhooks.appSecret, statuses: true } } : {}),
  })

  const csp = contentSecurityPolicy(devServerUrl)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders, csp) }))
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))

  window = createWindow(startsHidden(process.argv, app.getLoginItemSettings().wasOpenedAsHidden))
  tray = new Tray(nativeImage.createFromPath(trayIconFile('idle', resourcesDir)))
  tray.on('click', showWindow)
  log.info({ icon: trayIconFile('idle', resourcesDir) }, 'tray icon shown')

  const controller = new ShellController({
    lang,
    engine: core.engine,
    campaignName: async (id) => (await core.store.campaigns.get(id))?.campaignName ?? null,
    ports: {
      renderTray: (view) => renderTray(view, (action) => onTrayAction(action)),
      setProgressBar: (value) => window?.setProgressBar(value),
      notify: showNotification,
      powerSaveBlocker,
    },
  })
  core.events.subscribe((event) => controller.handle(event))
  controller.start(await core.store.campaigns.listByStatus(['pending', 'processing', 'paused']))

  updates = createUpdateScheduler(core.log)

  const user = await core.store.users.ensureLocal()
  const applySettings = (settings: ShellSettings): void => {
    app.setLoginItemSettings(loginItemSettings(settings.startAtLogin))
    lang = settings.language ?? osLanguage(app.getPreferredSystemLanguages())
    controller.setLanguage(lang)
    updates?.setEnabled(settings.autoUpdate)
  }
  const settings = await core.dispatch({ userId: user.id }, 'settings.get', {})
  if (settings.ok) applySettings(settings.value as Settings)

  // Settings saved in the UI take effect in the shell right away.
  const ipcApp: IpcApp = {
    ...core,
    dispatch: async (ctx, method, args) => {
      const result = await core.dispatch(ctx, method, args)
      // The page asks for app.info once its first effects ran, the event listeners among them.
      if (method === 'app.info') openedFiles.rendererReady()
      const change = shellSettingsChange(method, result)
      if (change) applySettings(change)
      if (method === 'installation.set' && result.ok) {
        void webhooks.refreshRelay().catch((error: unknown) => core.log.warn({ err: error }, 'could not apply the relay settings'))
      }
      return result
    },
  }
  bindIpc(ipcMain, ipcApp, () => (window && !window.isDestroyed() ? window.webContents : null), origin, { chooseSavePath })

  const onTrayAction = (action: TrayAction): void => {
    switch (action) {
      case 'open':
        return showWindow()
      case 'pauseAll':
        return void controller.pauseAll()
      case 'resumeAll':
        return void controller.resumeAll()
      case 'quit':
        return app.quit()
      default:
        assertNever(action, 'tray action')
    }
  }

  const quitCleanly = async (): Promise<void> => {
    const decision = quitDecision(controller.summary(), { systemShutdown }, lang)
    if (decision.kind === 'ask') {
      const parent = window && window.isVisible() ? window : undefined
      const { response } = parent ? await dialog.showMessageBox(parent, decision.dialog) : await dialog.showMessageBox(decision.dialog)
      if (response !== decision.pauseButton) return
      await controller.pauseAll()
    }
    updates?.prepareQuit({ sending: controller.summary().sending, systemShutdown })
    quitting = true
    await webhooks.close()
    await closeCore(core, log)
    await simulator.stop()
    tray?.destroy()
    app.quit()
  }

  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitInProgress ??= quitCleanly().finally(() => (quitInProgress = null))
  })
  // Linux/macOS shutdown: no question can be answered; stop gracefully so the next login resumes.
  powerMonitor.on('shutdown', () => {
    systemShutdown = true
    app.quit()
  })

  function showNotification(n: ShellNotification): void {
    if (!Notification.isSupported()) return
    const notification = new Notification({ title: n.title, body: n.body })
    // Held until dismissed: a garbage-collected Notification no longer reports its click.
    liveNotifications.add(notification)
    notification.on('close', () => liveNotifications.delete(notification))
    notification.on('click', () => {
      liveNotifications.delete(notification)
      showWindow()
      window?.webContents.send(IPC_EVENT, NAVIGATE_EVENT, navigatePayload(n))
    })
    notification.show()
  }
}

async function closeCore(core: App, log: { error(obj: object, msg: string): void }): Promise<void> {
  try {
    await core.close()
  } catch (error) {
    log.error({ err: error }, 'closing the app core failed')
  }
}

/** The native "Save as…" for reports, in the downloads folder, attached to our window when there is one. */
async function chooseSavePath(defaultName: string): Promise<string | null> {
  const extension = defaultName.slice(defaultName.lastIndexOf('.') + 1)
  const options = { defaultPath: join(app.getPath('downloads'), defaultName), filters: [{ name: extension.toUpperCase(), extensions: [extension] }] }
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}

function createWindow(hidden: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Pregón',
    // Windows and macOS take the icon from the executable; Linux windows need it given.
    ...(process.platform === 'linux' ? { icon: join(resourcesDir, 'icons', '256x256.png') } : {}),
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => {
    if (!hidden) win.show()
  })
  win.on('close', (event) => {
    if (closeAction({ quitting, trayPresent: tray !== null }) === 'hide') {
      event.preventDefault()
      win.hide()
    }
  })
  // Windows logoff/shutdown: same as powerMonitor 'shutdown' elsewhere.
  win.on('session-end', () => {
    systemShutdown = true
    // Windows may end the app without a before-quit: never run an installer during a logoff.
    updates?.prepareQuit({ sending: 0, systemShutdown })
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url, origin)) event.preventDefault()
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  // A reload drops the page's listeners: files opened meanwhile wait for its next app.info.
  win.webContents.on('did-start-loading', () => openedFiles.rendererGone())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAction(url) === 'open-external') void shell.openExternal(url)
    return { action: 'deny' }
  })
  void (devServerUrl ? win.loadURL(origin.url) : win.loadFile(rendererIndex))
  return win
}

/** electron-updater behind the shell's update decisions (./shell/updates), loaded on first check. */
function createUpdateScheduler(log: Logger): UpdateScheduler {
  return new UpdateScheduler({
    packaged: app.isPackaged,
    feedConfigured: app.isPackaged && updateFeedConfigured(process.resourcesPath),
    loadUpdater: async () => {
      // electron-updater is CommonJS and defines autoUpdater with a getter, which import() does not
      // surface as a named export: it is on the module's default (module.exports).
      const loaded: typeof import('electron-updater') & { default?: typeof import('electron-updater') } = await import('electron-updater')
      const { autoUpdater } = loaded.default ?? loaded
      autoUpdater.logger = log
      return autoUpdater
    },
    timers: {
      setTimeout: (run, ms) => setTimeout(run, ms).unref(),
      setInterval: (run, ms) => setInterval(run, ms).unref(),
      clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    log,
  })
}

function renderTray(view: TrayView, onAction: (action: TrayAction) => void): void {
  if (!tray || tray.isDestroyed()) return
  tray.setToolTip(view.tooltip)
  tray.setImage(nativeImage.createFromPath(trayIconFile(view.icon, resourcesDir)))
  tray.setContextMenu(Menu.buildFromTemplate(view.menu.map((item) => menuItem(item, onAction))))
}

function menuItem(item: TrayMenuItem, onAction: (action: TrayAction) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'status':
      return { label: item.label, enabled: false }
    case 'separator':
      return { type: 'separator' }
    case 'action':
      return { label: item.label, enabled: item.enabled, click: () => onAction(item.action) }
    default:
      return assertNever(item, 'tray menu item')
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
