import { useEffect } from 'react'
import { isBrowserMode } from '../api'
import { useNotifications } from '../stores/notifications'
import { useToasts } from '../stores/toasts'

const fmt = (t: number) => new Date(t).toLocaleString()

export function NotificationsPage() {
  const st = useNotifications()
  const { load, loadSettings } = st
  useEffect(() => {
    void load()
    void loadSettings()
  }, [load, loadSettings])

  const askPermission = async () => {
    const res = await Notification.requestPermission()
    useToasts.getState().push(res === 'granted' ? 'success' : 'info', res === 'granted' ? 'Desktop notifications allowed' : 'Desktop notifications were not allowed')
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Notifications</h1>
        <div className="row">
          <label className="toggle">
            <input type="checkbox" checked={st.unreadOnly} onChange={(e) => st.setUnreadOnly(e.target.checked)} /> Unread only
          </label>
          <button onClick={() => st.markAllRead()} disabled={st.unread === 0}>
            Mark all read
          </button>
        </div>
      </header>

      {st.items.length === 0 ? (
        <div className="empty" data-testid="notifications-empty">
          <p className="empty-title">{st.unreadOnly ? 'No unread notifications' : 'No notifications yet'}</p>
          <p>Finished analyses, imports, backups and warnings will appear here.</p>
        </div>
      ) : (
        <ul className="notifications" data-testid="notification-list">
          {st.items.map((n) => (
            <li key={n.id} className={n.readAt ? 'notification read' : 'notification unread'} data-testid="notification">
              <div className="notification-main">
                <div className="notification-title">
                  {!n.readAt && <span className="dot" aria-label="unread" />}
                  {n.title}
                </div>
                <div className="notification-message">{n.message}</div>
                <div className="muted small">
                  {fmt(n.createdAt)} · {n.type.replace(/_/g, ' ')}
                </div>
              </div>
              <div className="row">
                {!n.readAt && (
                  <button className="small-btn" onClick={() => st.markRead([n.id])}>
                    Mark read
                  </button>
                )}
                <button className="small-btn link" onClick={() => st.remove([n.id])} aria-label={`Delete ${n.title}`}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {st.nextCursor && (
        <button className="load-more" onClick={() => st.loadMore()}>
          Load older
        </button>
      )}

      <h2>Notification settings</h2>
      <div className="row">
        <button onClick={() => st.sendTest()} data-testid="send-test">
          Send a test notification
        </button>
        {isBrowserMode && 'Notification' in window && Notification.permission !== 'granted' && (
          <button onClick={askPermission}>Allow desktop notifications in this browser</button>
        )}
      </div>
      <table className="settings-table">
        <thead>
          <tr>
            <th>Type</th>
            <th>Show in app</th>
            <th>Desktop notification</th>
          </tr>
        </thead>
        <tbody>
          {st.settings.map((s) => (
            <tr key={s.type}>
              <td>{s.label}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${s.label}: show in app`}
                  checked={s.enabled}
                  onChange={(e) => st.updateSetting({ type: s.type, enabled: e.target.checked })}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${s.label}: desktop notification`}
                  checked={s.native}
                  disabled={!s.enabled}
                  onChange={(e) => st.updateSetting({ type: s.type, native: e.target.checked })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
