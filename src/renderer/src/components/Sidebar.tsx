import { PAGES, useNav } from '../stores/nav'
import { Icon } from './Icon'
import { useNotifications } from '../stores/notifications'
import { useJobActivity } from '../stores/jobs'

const isMac = navigator.platform.toLowerCase().includes('mac')

export function Sidebar() {
  const { page, go } = useNav()
  const unread = useNotifications((s) => s.unread)
  const jobs = useJobActivity()
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
              {p.id === 'jobs' && jobs.running + jobs.pending > 0 && (
                <span
                  className={jobs.running ? 'job-activity busy' : 'job-activity'}
                  data-testid="jobs-activity"
                  aria-label={`${jobs.running} running, ${jobs.pending} waiting`}
                  title={`${jobs.running} running, ${jobs.pending} waiting`}
                >
                  {jobs.running + jobs.pending > 99 ? '99+' : jobs.running + jobs.pending}
                </span>
              )}
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
