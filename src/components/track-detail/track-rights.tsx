/** A track's rights (phase 4): its work, writers with IPIs, publishers with shares and administrators. */
import { Field } from './track-fields';
import type { DetailTrack } from './track-detail-types';

const statusLooks = {
  published: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  unpublished: 'bg-amber-50 text-amber-900 ring-amber-300',
  unknown: 'bg-zinc-100 text-zinc-700 ring-zinc-300',
} as const;

const share = (value: number | null | undefined) => (value == null ? '' : ` · ${value}%`);
const ipi = (value: string | null | undefined) => (value ? <span className="font-mono text-xs text-zinc-500"> IPI {value}</span> : null);

export function PublisherStatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="publisher-status" data-status={status} className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusLooks[status as keyof typeof statusLooks] ?? statusLooks.unknown}`}>
      {status}
    </span>
  );
}

export function TrackRights({ track }: { track: DetailTrack }) {
  const writers = track.writers ?? [];
  const publishers = track.publishers ?? [];
  return (
    <section aria-labelledby="rights-title" className="space-y-3">
      <h3 id="rights-title" className="text-sm font-semibold text-zinc-900">Rights</h3>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 sm:grid-cols-3">
        <Field label="Publisher status"><PublisherStatusBadge status={track.publisherStatus} /></Field>
        <Field label="Work code" testId="detail-work-code"><span className="font-mono text-xs">{track.workCode ?? '—'}</span></Field>
        <Field label="ISWC" testId="detail-iswc"><span className="font-mono text-xs">{track.iswc ?? '—'}</span></Field>
      </dl>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <h4 className="text-xs text-zinc-500">Writers</h4>
          {writers.length === 0 ? (
            <p className="text-sm text-zinc-400">None known</p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm" data-testid="detail-writers">
              {writers.map((writer, index) => (
                <li key={`${writer.name}:${index}`}>
                  {writer.name}
                  {writer.role ? <span className="text-xs text-zinc-500"> ({writer.role})</span> : null}
                  {ipi(writer.ipi)}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h4 className="text-xs text-zinc-500">Publishers</h4>
          {publishers.length === 0 ? (
            <p className="text-sm text-zinc-400">None known</p>
          ) : (
            <ul className="mt-1 space-y-2 text-sm" data-testid="detail-publishers">
              {publishers.map((publisher, index) => (
                <li key={`${publisher.name}:${index}`}>
                  <span className="font-medium">{publisher.name}</span>
                  {share(publisher.share)}
                  {ipi(publisher.ipi)}
                  {publisher.administrators.length > 0 ? (
                    <ul className="mt-0.5 ml-3 border-l border-zinc-200 pl-2 text-xs text-zinc-600">
                      {publisher.administrators.map((admin, adminIndex) => (
                        <li key={`${admin.name}:${adminIndex}`}>
                          administered by {admin.name}
                          {share(admin.share)}
                          {ipi(admin.ipi)}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
