// One policy for both hosts: Electron sets it via session headers, browser mode via HTTP headers.
export const CSP = [
  "default-src 'self'",
  // The hash admits only the inline boot script in src/renderer/index.html (recompute it when that changes).
  `script-src 'self' 'sha256-XWY40yV2WZ1VlYvnFJIIF6MPzJ9fAWV/pvE1Z+J8PNA='`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
