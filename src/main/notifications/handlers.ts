import type { Handlers } from '../ipc/router'
import type { NotificationService } from './service'

export function notificationsHandlers(n: NotificationService) {
  return {
    'notifications.list': (i) => n.list(i ?? {}),
    'notifications.markRead': (i) => n.markRead(i.ids),
    'notifications.markAllRead': () => n.markAllRead(),
    'notifications.delete': (i) => n.delete(i.ids),
    'notifications.settings': () => n.settings(),
    'notifications.updateSetting': (i) => n.updateSetting(i.type, i),
    'notifications.sendTest': () =>
      n.notify({
        type: 'test',
        title: 'Notifications are working',
        message: 'This is a test notification from Science Paper Manager.',
      }),
  } satisfies Pick<Handlers, `notifications.${string}` & keyof Handlers>
}
