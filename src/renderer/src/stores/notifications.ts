import { create } from 'zustand'
import type { AppNotification, NotificationTypeSetting } from '../../../shared/contract'
import { api, isBrowserMode } from '../api'
import { attempt, useToasts } from './toasts'

interface NotificationsState {
  items: AppNotification[]
  unread: number
  nextCursor: number | null
  unreadOnly: boolean
  settings: NotificationTypeSetting[]
  load(): Promise<void>
  loadMore(): Promise<void>
  setUnreadOnly(v: boolean): Promise<void>
  markRead(ids: number[]): Promise<void>
  markAllRead(): Promise<void>
  remove(ids: number[]): Promise<void>
  loadSettings(): Promise<void>
  updateSetting(s: Pick<NotificationTypeSetting, 'type'> & Partial<NotificationTypeSetting>): Promise<void>
  sendTest(): Promise<void>
  subscribe(): () => void
}

export const useNotifications = create<NotificationsState>((set, get) => ({
  items: [],
  unread: 0,
  nextCursor: null,
  unreadOnly: false,
  settings: [],
  async load() {
    const page = await attempt(() => api.invoke('notifications.list', { unreadOnly: get().unreadOnly, limit: 50 }))
    if (page) set({ items: page.items, unread: page.unread, nextCursor: page.nextCursor })
  },
  async loadMore() {
    const before = get().nextCursor
    if (!before) return
    const page = await attempt(() => api.invoke('notifications.list', { unreadOnly: get().unreadOnly, limit: 50, before }))
    if (page) set({ items: [...get().items, ...page.items], unread: page.unread, nextCursor: page.nextCursor })
  },
  async setUnreadOnly(v) {
    set({ unreadOnly: v })
    await get().load()
  },
  async markRead(ids) {
    const r = await attempt(() => api.invoke('notifications.markRead', { ids }))
    if (!r) return
    const now = Date.now()
    set({ unread: r.unread, items: get().items.map((n) => (ids.includes(n.id) && !n.readAt ? { ...n, readAt: now } : n)) })
  },
  async markAllRead() {
    const r = await attempt(() => api.invoke('notifications.markAllRead'))
    if (!r) return
    const now = Date.now()
    set({ unread: r.unread, items: get().items.map((n) => (n.readAt ? n : { ...n, readAt: now })) })
  },
  async remove(ids) {
    const r = await attempt(() => api.invoke('notifications.delete', { ids }))
    if (r) set({ unread: r.unread, items: get().items.filter((n) => !ids.includes(n.id)) })
  },
  async loadSettings() {
    const s = await attempt(() => api.invoke('notifications.settings'))
    if (s) set({ settings: s })
  },
  async updateSetting(s) {
    // Optimistic, so the checkbox follows the click; the server's answer (or the old state) wins after.
    const before = get().settings
    set({ settings: before.map((x) => (x.type === s.type ? { ...x, ...s } : x)) })
    const r = await attempt(() => api.invoke('notifications.updateSetting', { type: s.type, enabled: s.enabled, native: s.native }))
    set({ settings: r ?? before })
  },
  async sendTest() {
    const r = await attempt(() => api.invoke('notifications.sendTest'))
    if (r === null) {
      useToasts.getState().push('info', 'Test notifications are turned off in the settings below.')
    }
  },
  subscribe() {
    const offCreated = api.on('notifications.created', ({ notification, native, unread }) => {
      const st = get()
      const visible = !st.unreadOnly || !notification.readAt
      set({ unread, items: visible && !st.items.some((n) => n.id === notification.id) ? [notification, ...st.items] : st.items })
      if (native && isBrowserMode && 'Notification' in window && Notification.permission === 'granted') {
        new Notification(notification.title, { body: notification.message, tag: `spm-${notification.id}` })
      }
    })
    const offUnread = api.on('notifications.unread', ({ unread }) => set({ unread }))
    return () => {
      offCreated()
      offUnread()
    }
  },
}))
