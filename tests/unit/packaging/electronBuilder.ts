// electron-builder's own code for the tests: its config loader, schema validation and file matchers,
// taken from the app-builder-lib that electron-builder itself requires (not a copy of its rules).

import { createRequire } from 'node:module'
import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

export const projectDir = join(__dirname, '..', '..', '..')

const fromBuilder = createRequire(createRequire(join(projectDir, 'package.json')).resolve('electron-builder/package.json'))

/** The parts of electron-builder's Configuration these tests read. */
export interface BuilderConfig {
  appId: string
  productName: string
  directories: { output: string; buildResources: string }
  files: unknown
  asarUnpack: string[]
  npmRebuild: boolean
  buildDependenciesFromSource: boolean
  nsis: Record<string, unknown>
  mac: { target: { target: string }[]; hardenedRuntime: boolean; entitlements: string; fileAssociations: { ext: string; rank: string }[]; icon: string }
  win: { target: { target: string }[]; icon: string; fileAssociations?: unknown }
  linux: { target: string[]; icon: string; fileAssociations: { ext: string }[] }
  [key: string]: unknown
}

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: object | null): Promise<BuilderConfig>
  validateConfiguration(config: object, debugLogger: object): Promise<void>
}
interface Matcher {
  createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean
}
interface FileMatcherModule {
  getMainFileMatchers(appDir: string, destination: string, expand: (s: string) => string, platformOptions: object, packager: object, outDir: string, isElectronCompile: boolean): Matcher[]
  getFileMatchers(config: object, name: string, destination: string, options: object): Matcher[] | null
}

const configModule = fromBuilder('app-builder-lib/out/util/config/config') as ConfigModule
const fileMatcher = fromBuilder('app-builder-lib/out/fileMatcher') as FileMatcherModule
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => object }

/** electron-builder.yml as electron-builder loads it (defaults merged). */
export function loadConfig(): Promise<BuilderConfig> {
  return configModule.getConfig(projectDir, null, null)
}

/** Throws electron-builder's own message when the configuration breaks its schema. */
export function validate(config: object): Promise<void> {
  return configModule.validateConfiguration(config, new DebugLogger(false))
}

const notADirectory = { isDirectory: () => false }
const identity = (s: string): string => s

/** Whether electron-builder copies this project file (relative path) into the app, with its default exclusions. */
export function appFileFilter(config: BuilderConfig): (file: string) => boolean {
  const packager = {
    info: { projectDir, buildResourcesDir: config.directories.buildResources, isPrepackedAppAsar: false, config, debugLogger: { isEnabled: false } },
  }
  const outDir = join(projectDir, config.directories.output)
  const matchers = fileMatcher.getMainFileMatchers(projectDir, '/app', identity, {}, packager, outDir, false)
  const filter = matchers[0].createFilter()
  return (file) => filter(join(projectDir, file), notADirectory)
}

/** Whether a file of the packaged app (relative to the app root) lands in app.asar.unpacked. */
export function asarUnpackFilter(config: BuilderConfig): (file: string) => boolean {
  const matchers = fileMatcher.getFileMatchers(config, 'asarUnpack', '/app', {
    macroExpander: identity,
    customBuildOptions: {},
    globalOutDir: join(projectDir, config.directories.output),
    defaultSrc: projectDir,
  })
  if (!matchers) return () => false
  const filter = matchers[0].createFilter()
  return (file) => filter(join(projectDir, file), notADirectory)
}

/** Every file under a project folder, as project-relative paths with forward slashes. */
export function listFiles(dir: string): string[] {
  const root = join(projectDir, dir)
  const found: string[] = []
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name)
      if (entry.isDirectory()) walk(full)
      else found.push(relative(projectDir, full).split(sep).join('/'))
    }
  }
  walk(root)
  return found.sort()
}
