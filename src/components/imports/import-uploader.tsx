'use client';
/**
 * Three ways in: pick a file, drop one, or paste the text. Files go to the upload route
 * (POST /api/imports, multipart) so a large file is streamed, not held in a JSON string;
 * pasted text goes through imports.start.
 */
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { api } from '~/trpc/react';
import { Button } from '../ui/button';

const SAMPLE = `url,name,tags
https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M,Today's Top Hits,pop
spotify:playlist:37i9dQZF1DX0XUsuxWHRQd,RapCaviar,hip-hop
not a playlist,Broken row,
`;

async function uploadFile(file: File): Promise<string> {
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await fetch('/api/imports', { method: 'POST', body });
  const answer = (await response.json().catch(() => null)) as { importId?: string; error?: { message?: string } } | null;
  if (!response.ok || !answer?.importId) throw new Error(answer?.error?.message ?? `The upload failed (HTTP ${response.status}).`);
  return answer.importId;
}

export function ImportUploader({ onStarted }: { onStarted: (importId: string) => void }) {
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const start = api.imports.start.useMutation();

  const sendFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setUploading(true);
    try {
      onStarted(await uploadFile(file));
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void sendFile(event.dataTransfer.files[0]);
  };

  const submitText = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!text.trim()) {
      setError('Paste CSV text first: a header row with a url column, then one playlist per row.');
      return;
    }
    start.mutate(
      { csv: text, filename: 'pasted.csv' },
      {
        onSuccess: ({ importId }) => {
          setText('');
          onStarted(importId);
        },
        onError: (cause) => setError(cause.message),
      },
    );
  };

  const busy = uploading || start.isPending;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="import-dropzone"
        className={`flex flex-col items-center justify-center rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors ${dragging ? 'border-indigo-500 bg-indigo-50' : 'border-zinc-300 bg-white'}`}
      >
        <svg aria-hidden viewBox="0 0 24 24" className="mb-3 size-10 text-zinc-400" fill="none" stroke="currentColor" strokeWidth="1.5">
          <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <p className="text-sm font-medium text-zinc-800">Drop a CSV file here</p>
        <p className="mt-1 text-xs text-zinc-500">One playlist per row: a url column (link, URI or id), optional name and tags.</p>
        <label className="mt-4">
          <span className="sr-only">Choose a CSV file to import</span>
          <input
            ref={fileInput}
            type="file"
            accept=".csv,text/csv,text/plain"
            data-testid="import-file"
            disabled={busy}
            onChange={(event) => void sendFile(event.target.files?.[0])}
            className="block w-full text-sm text-zinc-600 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-600 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-white hover:file:bg-indigo-500"
          />
        </label>
        {uploading ? <p className="mt-3 text-sm text-zinc-600">Uploading…</p> : null}
      </div>
      <form onSubmit={submitText} className="flex flex-col rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">
        <div className="flex items-center justify-between">
          <label htmlFor="import-text" className="text-sm font-medium text-zinc-800">
            Or paste CSV text
          </label>
          <button type="button" onClick={() => setText(SAMPLE)} className="rounded text-xs text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
            Use a sample
          </button>
        </div>
        <textarea
          id="import-text"
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={6}
          spellCheck={false}
          placeholder={'url,name,tags\nhttps://open.spotify.com/playlist/…,My playlist,indie'}
          className="mt-2 min-h-32 flex-1 rounded-md border border-zinc-300 px-3 py-2 font-mono text-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        />
        <div className="mt-3 flex justify-end">
          <Button type="submit" variant="primary" disabled={busy}>
            {start.isPending ? 'Starting…' : 'Import pasted text'}
          </Button>
        </div>
      </form>
      {error ? (
        <p role="alert" data-testid="import-error" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 lg:col-span-2">
          {error}
        </p>
      ) : null}
    </div>
  );
}
