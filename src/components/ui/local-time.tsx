'use client';
/**
 * A time in the reader's own time zone. The server does not know that zone, so the server's HTML
 * and the first render in the browser show the UTC time (marked as such), and the local time
 * replaces it once the page has hydrated: no mismatch between the two renders.
 */
import { useSyncExternalStore } from 'react';
import { formatDateTime, formatTime } from './number-format';

const subscribe = () => () => {};

/** False while rendering on the server and hydrating, true after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

const utcFormats = {
  time: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' }),
  datetime: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }),
  date: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
};

const localFormats = {
  time: formatTime,
  datetime: formatDateTime,
  // A calendar date (a release date, a week) is the same everywhere: read it in UTC.
  date: (iso: string) => utcFormats.date.format(new Date(iso)),
};

export function LocalTime({ iso, format = 'datetime', className }: { iso: string | null | undefined; format?: keyof typeof utcFormats; className?: string }) {
  const hydrated = useHydrated();
  if (!iso) return <span className={className}>—</span>;
  const text = hydrated ? localFormats[format](iso) : `${utcFormats[format].format(new Date(iso))}${format === 'date' ? '' : ' UTC'}`;
  return (
    <time dateTime={iso} className={className}>
      {text}
    </time>
  );
}
