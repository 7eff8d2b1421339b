// Starts the built main bundle under fakeElectronRunner.mjs in a child Node process and collects what
// the shell asked of Electron; commands go back over the same IPC channel.

import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const projectDir = join(__dirname, '..', '..', '..')
const runner = join(__dirname, 'fakeElectronRunner.mjs')

export interface Call {
  name: string
  args: unknown[]
}

export interface ShellOptions {
  /** The main bundle and app root; default: the project's own out/ (as `npm start` runs it). */
  bundle?: string
  appPath?: string
  resourcesPath?: string
  packaged?: boolean
  lockTaken?: boolean
  argv?: string[]
  /** A setTimeout of exactly this delay fires at once in the shell (the first update check). */
  soonMs?: number
  env?: Record<string, string>
}

type Message =
  | { kind: 'call'; name: string; args: unknown[] }
  | { kind: 'reply'; id: number; result: unknown }
  | { kind: 'exit'; nativeModules: string[] }
  | { kind: 'crash'; message: string }
  | { kind: 'started' }
  | { kind: 'bye' }

export class Shell {
  readonly calls: Call[] = []
  nativeModules: string[] = []
  readonly exited: Promise<number | null>
  /** app.getPath('userData'): the database and logs/. */
  readonly userData: string
  private readonly child: ChildProcess
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = []
  private readonly replies = new Map<number, (result: unknown) => void>()
  private nextId = 1
  private output = ''

  constructor(opts: ShellOptions = {}) {
    this.userData = join(mkdtempSync(join(tmpdir(), 'pregon-shell-')), 'pregon')
    this.child = fork(runner, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        FAKE_BUNDLE: opts.bundle ?? join(projectDir, 'out', 'main', 'index.js'),
        FAKE_APP_PATH: opts.appPath ?? projectDir,
        FAKE_RESOURCES: opts.resourcesPath ?? join(projectDir, 'node_modules', 'electron', 'dist', 'resources'),
        FAKE_USER_DATA: this.userData,
        FAKE_PACKAGED: opts.packaged ? '1' : '0',
        FAKE_LOCK: opts.lockTaken ? 'taken' : 'free',
        FAKE_ARGV: JSON.stringify(opts.argv ?? []),
        // The desktop webhook endpoint on any free port: tests run side by side.
        PREGON_PORT: '0',
        ELECTRON_RENDERER_URL: '',
        FAKE_SOON_MS: opts.soonMs ? String(opts.soonMs) : '',
        ...opts.env,
      },
    })
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
    this.child.on('message', (message: Message) => this.onMessage(message))
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => (this.settle(), resolve(code))))
  }

  /** What the child printed (logs), for failure messages. */
  get log(): string {
    return this.output
  }

  /** The shell's log file lines (pino JSON) written so far; all of them once it has quit. */
  logLines(): Record<string, unknown>[] {
    const dir = join(this.userData, 'logs')
    if (!existsSync(dir)) return []
    return readdirSync(dir)
      .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  }

  named(name: string): Call[] {
    return this.calls.filter((c) => c.name === name)
  }

  /** Resolves once a recorded call satisfies `test` (rejects if the process ends first). */
  waitFor(name: string, test: (call: Call) => boolean = () => true): Promise<Call> {
    const find = () => this.calls.find((c) => c.name === name && test(c))
    return new Promise((resolve, reject) => {
      const found = find()
      if (found) return resolve(found)
      if (this.child.exitCode !== null) return reject(new Error(`the shell exited before ${name}:\n${this.output}`))
      this.waiters.push({
        test: () => Boolean(find()) || this.child.exitCode !== null,
        resolve: () => {
          const call = find()
          if (call) resolve(call)
          else reject(new Error(`the shell exited before ${name}:\n${this.output}`))
        },
      })
    })
  }

  /** The shell is up: the IPC handler is bound (the last step of main()). */
  ready(): Promise<Call> {
    return this.waitFor('ipcMain.handle')
  }

  command<T = unknown>(cmd: string, fields: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.replies.set(id, resolve as (result: unknown) => void)
      this.child.send({ cmd, id, ...fields })
    })
  }

  /** A contract method through the shell's IPC handler, as the window would call it. */
  invoke<T = unknown>(method: string, args: unknown = {}): Promise<{ ok: boolean; value: T; error?: { code: string; message: string } }> {
    return this.command('invoke', { method, args })
  }

  emit(event: string, ...args: unknown[]): Promise<unknown> {
    return this.command('emit', { target: event === 'shutdown' ? 'powerMonitor' : 'app', event, args })
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }

  private onMessage(message: Message): void {
    switch (message.kind) {
      case 'call':
        this.calls.push({ name: message.name, args: message.args })
        break
      case 'reply':
        this.replies.get(message.id)?.(message.result)
        this.replies.delete(message.id)
        break
      case 'exit':
        this.nativeModules = message.nativeModules
        break
      case 'crash':
        this.output += `\n[crash] ${message.message}\n`
        break
      case 'started':
      case 'bye':
        break
    }
    this.settle()
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.test()) continue
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  }
}
