import { z } from 'zod'
import { channel } from './define'

const Filter = z.strictObject({ name: z.string().max(100), extensions: z.array(z.string().regex(/^[A-Za-z0-9*]{1,16}$/)).max(20) })

export const filesChannels = {
  /** Native open dialog (desktop only); the chosen paths become usable by path-taking channels. */
  'files.openDialog': channel<string[]>()(
    z
      .strictObject({
        title: z.string().max(200).optional(),
        filters: z.array(Filter).max(10).optional(),
        multiple: z.boolean().optional(),
        directory: z.boolean().optional(),
      })
      .optional(),
  ),
  /** Native save dialog (desktop only); the chosen path becomes a writable destination. */
  'files.saveDialog': channel<string | null>()(
    z.strictObject({ title: z.string().max(200).optional(), defaultName: z.string().max(255).optional() }).optional(),
  ),
}

export const filesEvents = {}
