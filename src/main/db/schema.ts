// Each domain owns its tables; this file only gathers them for drizzle.
export * from '../settings/schema'
export * from '../notifications/schema'
export * from '../library/schema'
export * from '../jobs/schema'
