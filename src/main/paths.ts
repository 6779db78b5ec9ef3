import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'Science Paper Manager'

/** Same folder Electron's app.getPath('userData') uses, so both modes open the same library. */
export function defaultUserDataDir(): string {
  if (process.env.SPM_DATA_DIR) return process.env.SPM_DATA_DIR
  const home = homedir()
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME)
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME)
}
