// Shared UI primitives. Everything renders untrusted text as text nodes (never innerHTML).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api';

export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.message} (HTTP ${e.status})` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="banner banner-error" role="alert">
      <span>{describeError(error)}</span>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'ok' | 'warn' }) {
  return (
    <div class={`banner banner-${kind}`} role="status">
      {children}
    </div>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="spinner" role="status" aria-live="polite">
      {label}
    </div>
  );
}

/** A completed/pending bar; `parts` are drawn left to right. */
export function ProgressBar({
  parts,
  total,
  label,
}: {
  parts: { value: number; className: string; title: string }[];
  total: number;
  label?: string;
}) {
  const safeTotal = Math.max(total, 1);
  return (
    <div class="progress" role="img" aria-label={label ?? parts.map((p) => `${p.title}: ${p.value}`).join(', ')}>
      {parts.map((p) => (
        <span
          key={p.title}
          class={`progress-part ${p.className}`}
          style={{ width: `${(100 * Math.min(p.value, safeTotal)) / safeTotal}%` }}
          title={`${p.title}: ${p.value}`}
        />
      ))}
    </div>
  );
}

export function Modal({
  title,
  children,
  onClose,
}: {
  title: string;
  children: ComponentChildren;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    ref.current?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref}>
        <header class="modal-header">
          <h2>{title}</h2>
          <button type="button" class="btn btn-ghost" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div class="modal-body">{children}</div>
      </div>
    </div>
  );
}

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · spanloop`;
  }, [title]);
  return (
    <main class="page">
      <div class="page-head">
        <h1>{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </main>
  );
}
