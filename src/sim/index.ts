// The Cloud API simulator ("Meta" for tests, benchmarks and demo mode): the one entry point others import.

export type * from './types'
export { startSimulator, type TemplateEvent } from './server'
export { runSimulatorCli, type SimulatorCliArgs } from './cli'
export { DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBERS, DEFAULT_TEMPLATES } from './defaults'
export { serializeForSigning, signature } from './webhooks'
