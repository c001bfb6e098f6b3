'use client';
/** Adds a note to a track's history (members and up); everyone watching the track sees it arrive. */
import { useState } from 'react';
import { api } from '~/trpc/react';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function TrackNoteForm({ trackId }: { trackId: string }) {
  const [message, setMessage] = useState('');
  const utils = api.useUtils();
  const note = api.tracks.note.useMutation({ onSuccess: () => utils.tracks.detail.invalidate({ id: trackId }) });
  const { mayChange, why } = useMayChange();
  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!message.trim()) return;
        note.mutate({ id: trackId, message: message.trim() }, { onSuccess: () => setMessage('') });
      }}
    >
      <label htmlFor={`note-${trackId}`} className="block text-sm font-medium text-zinc-800">
        Add a note
      </label>
      <textarea
        id={`note-${trackId}`}
        value={message}
        onChange={(event) => setMessage(event.target.value)}
        maxLength={2000}
        rows={2}
        disabled={!mayChange}
        title={why}
        placeholder="A clearance question, a contact, a decision…"
        className="w-full rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none disabled:bg-zinc-50"
      />
      <div className="flex items-center gap-2">
        <Button type="submit" variant="primary" className="px-2.5 py-1 text-xs" disabled={!mayChange || note.isPending || !message.trim()}>
          {note.isPending ? 'Saving…' : 'Add note'}
        </Button>
        {note.error ? (
          <p role="alert" className="text-xs text-rose-700">
            {note.error.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
