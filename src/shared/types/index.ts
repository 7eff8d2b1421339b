// The domain types shared by the main process, the renderer and the HTTP API.
export * from './account'
export * from './campaign'
export * from './events'
export * from './recipient'
export * from './template'
