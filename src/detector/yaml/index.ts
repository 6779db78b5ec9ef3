export { YamlHandler, type WriteOptions, type UpdateOptions } from './yaml-handler'
export { PatternFileHandler } from './pattern-file-handler'
