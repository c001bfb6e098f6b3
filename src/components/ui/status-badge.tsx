/** A coloured pill for a job, track or import status; the text is the status, never colour alone. */
const tones: Record<string, string> = {
  queued: 'bg-zinc-100 text-zinc-700 ring-zinc-300',
  pending: 'bg-zinc-100 text-zinc-700 ring-zinc-300',
  running: 'bg-sky-50 text-sky-800 ring-sky-300',
  enriching: 'bg-sky-50 text-sky-800 ring-sky-300',
  completed: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  failed: 'bg-rose-50 text-rose-800 ring-rose-300',
  cancelled: 'bg-amber-50 text-amber-800 ring-amber-300',
};

export function StatusBadge({ status, title, testId }: { status: string; title?: string; testId?: string }) {
  const active = status === 'running' || status === 'enriching';
  return (
    <span
      title={title}
      data-testid={testId}
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[status] ?? tones.queued}`}
    >
      {active ? <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" /> : null}
      {status}
    </span>
  );
}
