import { useRef } from 'react'

/** A real button (focusable, Enter/Space) that opens the browser's file chooser; a styled label over a hidden input is not. */
export function FilePicker({ label, accept, onFiles, testId, className = 'small-btn' }: { label: string; accept?: string; onFiles: (files: File[]) => void; testId: string; className?: string }) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <button type="button" className={className} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        multiple
        hidden
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []))
          // Choosing the same file again must fire a change too.
          e.target.value = ''
        }}
        data-testid={testId}
      />
    </>
  )
}
