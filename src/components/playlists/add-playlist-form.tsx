'use client';
/** Paste a Spotify playlist URL (or id) to track it; its enrichment job starts on its own. */
import { useState, type FormEvent } from 'react';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function AddPlaylistForm() {
  const { mayChange, why } = useMayChange();
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = api.playlists.add.useMutation();
  const toast = useToast();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = url.trim();
    if (!value) {
      setError('Paste a Spotify playlist link like https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M.');
      return;
    }
    setError(null);
    add.mutate(
      { url: value },
      {
        onSuccess: () => {
          setUrl('');
          toast({ tone: 'info', title: 'Playlist added', body: 'Its enrichment job is queued.' });
        },
        onError: (cause) => setError(cause.message),
      },
    );
  };

  const shownError = error;
  return (
    <form onSubmit={submit} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm" aria-labelledby="add-playlist-title" noValidate>
      <h2 id="add-playlist-title" className="text-sm font-semibold text-zinc-900">
        Add a playlist
      </h2>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="playlist-url" className="sr-only">
          Spotify playlist URL or id
        </label>
        <input
          id="playlist-url"
          name="url"
          type="text"
          inputMode="url"
          autoComplete="off"
          placeholder="https://open.spotify.com/playlist/…"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={shownError ? 'playlist-url-error' : 'playlist-url-hint'}
          className="min-w-0 flex-1 rounded-md border border-zinc-300 px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        />
        <Button type="submit" variant="primary" disabled={add.isPending || !mayChange} title={why}>
          {add.isPending ? 'Adding…' : 'Add playlist'}
        </Button>
      </div>
      {shownError ? (
        <p id="playlist-url-error" role="alert" className="mt-2 text-sm text-rose-700" data-testid="add-playlist-error">
          {shownError}
        </p>
      ) : (
        <p id="playlist-url-hint" className="mt-2 text-xs text-zinc-500">
          A link, a spotify:playlist: URI or the bare 22-character id.
        </p>
      )}
    </form>
  );
}
