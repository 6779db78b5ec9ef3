import { PAGES, useNav } from '../stores/nav'
import { Icon } from './Icon'
import { useNotifications } from '../stores/notifications'

const isMac = navigator.platform.toLowerCase().includes('mac')

export function Sidebar() {
  const { page, go } = useNav()
  const unread = useNotifications((s) => s.unread)
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <Icon name="brand" size={20} /> Science Paper Manager
      </div>
      <ul>
        {PAGES.map((p, i) => (
          <li key={p.id}>
            <button
              className={page === p.id ? 'nav-item active' : 'nav-item'}
              aria-current={page === p.id ? 'page' : undefined}
              onClick={() => go(p.id)}
              title={`${p.label} (${isMac ? '⌘' : 'Ctrl'}+${i + 1})`}
              data-testid={`nav-${p.id}`}
            >
              <span className="nav-icon">
                <Icon name={p.id} />
              </span>
              <span className="nav-label">{p.label}</span>
              {p.id === 'notifications' && unread > 0 && (
                <span className="badge" data-testid="unread-badge" aria-label={`${unread} unread`}>
                  {unread > 99 ? '99+' : unread}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
