import { basename } from 'node:path'
import { AppError } from '../../shared/errors'
import type { Handlers } from '../ipc/router'
import type { Platform } from '../platform/types'
import type { FileGrants } from './grants'

export function filesHandlers(platform: Platform, grants: FileGrants) {
  const needDialogs = () => {
    if (!platform.dialogs.supported)
      throw new AppError('UNSUPPORTED', 'File dialogs are only available in the desktop app. In the browser, drop files onto the window instead.')
  }
  return {
    'files.openDialog': async (i) => {
      needDialogs()
      const paths = await platform.dialogs.openFiles(i ?? {})
      grants.grantRead(paths, { directory: i?.directory })
      return paths
    },
    'files.saveDialog': async (i) => {
      needDialogs()
      const path = await platform.dialogs.saveFile({ title: i?.title, defaultPath: i?.defaultName ? basename(i.defaultName) : undefined })
      if (path) grants.grantWrite(path)
      return path
    },
  } satisfies Pick<Handlers, 'files.openDialog' | 'files.saveDialog'>
}
