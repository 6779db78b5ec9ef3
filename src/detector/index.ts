/** Public API of the Data Detector library. */
export * from './types'
export { patternFileSchema, checkPatternFile, type SchemaIssue } from './schema'
export {
  loadRegistry,
  builtinPatternsDir,
  PatternRegistry,
  PatternLoadError,
  type LoadOptions,
  type PatternSummary,
} from './registry'
export {
  Engine,
  resolveOverlaps,
  decodeStream,
  type EngineOptions,
  type StreamOptions,
  type StreamSource,
  type RedactStreamOptions,
} from './engine'
export {
  TokenVault,
  Tokenizer,
  maskValue,
  hashValue,
  canonicalValue,
  loadOrCreateSecret,
  defaultSecretPath,
  categoryLabel,
} from './redact'
export { checkReDoS, type ReDoSVerdict } from './redos'
export { analyzeRegex, type RegexInfo } from './analyze'
export type { CompiledPattern } from './compiled'
export { YamlHandler, PatternFileHandler } from './yaml'
export { builtinVerifiers } from './verify/index'

export const DETECTOR_VERSION = '0.1.0'
export { DetectorClient, type ChildLike, type DetectorClientOptions } from './client'
export type { WorkerRequest, WorkerResponse, WorkerMethod } from './worker'
