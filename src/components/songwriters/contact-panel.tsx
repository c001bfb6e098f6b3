'use client';
/**
 * The songwriter as a contact: add them, their stage and owner, how to reach them (handles) and
 * the team's notes. Every change is a contacts.* call; the page re-reads from the `leads` stream,
 * so another member's change shows here too.
 */
import { useState } from 'react';
import type { HandleKind } from '~/server/songwriters/types';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { FormError } from '../ui/form-error';
import { LocalTime } from '../ui/local-time';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { useMayChange } from '../workspace/workspace-queries';
import { AddContactButton } from './add-contact-button';
import { contactStages, stageLabels, type ContactStage } from './leads-query';
import type { SongwriterData } from './songwriter-types';
import { useOwnerChoices } from './use-owner-choices';

type Contact = NonNullable<SongwriterData['contact']>;

const handleFields = [
  { kind: 'email', label: 'Email', placeholder: 'name@example.com', type: 'email' },
  { kind: 'instagram', label: 'Instagram', placeholder: '@handle', type: 'text' },
  { kind: 'tiktok', label: 'TikTok', placeholder: '@handle', type: 'text' },
  { kind: 'x', label: 'X', placeholder: '@handle', type: 'text' },
  { kind: 'website', label: 'Website', placeholder: 'https://…', type: 'url' },
] as const satisfies ReadonlyArray<{ kind: HandleKind; label: string; placeholder: string; type: string }>;

function useRefresh(songwriterId: string) {
  const utils = api.useUtils();
  return () => {
    void utils.songwriters.get.invalidate({ id: songwriterId });
    void utils.songwriters.list.invalidate();
  };
}

function StageAndOwner({ songwriterId, name, contact }: { songwriterId: string; name: string; contact: Contact }) {
  const toast = useToast();
  const refresh = useRefresh(songwriterId);
  const { mayChange, why } = useMayChange();
  const { owners, me } = useOwnerChoices();
  const onError = (what: string) => (error: { message: string }) => toast({ tone: 'error', title: `Could not ${what} ${name}`, body: error.message });
  const move = api.contacts.move.useMutation({ onSuccess: refresh, onError: onError('move') });
  const update = api.contacts.update.useMutation({ onSuccess: refresh, onError: onError('change the owner of') });
  const remove = api.contacts.remove.useMutation({
    onSuccess: () => {
      refresh();
      toast({ tone: 'info', title: `${name} is no longer a contact`, body: 'Their notes stay on this page.' });
    },
    onError: onError('remove'),
  });
  const ownerOptions = [
    { value: '', label: 'Nobody' },
    ...owners.map((owner) => ({ value: owner.id, label: owner.id === me ? `${owner.name} (me)` : owner.name })),
    ...(contact.ownerId && !owners.some((owner) => owner.id === contact.ownerId) ? [{ value: contact.ownerId, label: contact.ownerName ?? 'A former member' }] : []),
  ];
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Stage"
          data-testid="contact-stage"
          value={move.isPending ? move.variables.stage : contact.stage}
          disabled={!mayChange || move.isPending}
          title={why}
          options={contactStages.map((stage) => ({ value: stage, label: stageLabels[stage] }))}
          onChange={(event) => move.mutate({ songwriterId, stage: event.target.value as ContactStage, beforeId: null })}
        />
        <SelectField
          label="Owner"
          data-testid="contact-owner"
          value={update.isPending && update.variables.ownerId !== undefined ? (update.variables.ownerId ?? '') : (contact.ownerId ?? '')}
          disabled={!mayChange || update.isPending}
          title={why}
          options={ownerOptions}
          onChange={(event) => update.mutate({ songwriterId, ownerId: event.target.value || null })}
        />
      </div>
      <p className="text-xs text-zinc-500">
        Updated <LocalTime iso={contact.updatedAt} />
        {' · '}
        <button type="button" className="rounded text-rose-700 hover:underline disabled:text-zinc-400" disabled={!mayChange || remove.isPending} onClick={() => remove.mutate({ songwriterId })}>
          Remove from contacts
        </button>
      </p>
    </div>
  );
}

/** The API's refusal as sentences naming the fields ("Instagram must be an Instagram handle: …"), else its message. */
function handlesErrorMessage(error: { message: string; data?: unknown }): string {
  const issues = (error.data as { issues?: Array<{ path: string[]; message: string }> | null } | undefined)?.issues ?? [];
  const sentences = issues.flatMap((issue) => {
    const field = handleFields.find((one) => issue.path[0] === 'handles' && issue.path[1] === one.kind);
    return field ? [`${field.label} ${issue.message}.`] : [];
  });
  return sentences.length > 0 ? sentences.join(' ') : error.message;
}

function HandlesForm({ songwriterId, contact }: { songwriterId: string; contact: Contact }) {
  const toast = useToast();
  const refresh = useRefresh(songwriterId);
  const { mayChange, why } = useMayChange();
  const saved = Object.fromEntries(handleFields.map((field) => [field.kind, contact.handles[field.kind] ?? ''])) as Record<HandleKind, string>;
  const [values, setValues] = useState(saved);
  const update = api.contacts.update.useMutation({
    onSuccess: () => {
      refresh();
      toast({ tone: 'success', title: 'Handles saved' });
    },
  });
  const changed = handleFields.some((field) => values[field.kind].trim() !== saved[field.kind]);
  return (
    <form
      className="space-y-2"
      aria-labelledby={`handles-${songwriterId}`}
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ songwriterId, handles: Object.fromEntries(handleFields.map((field) => [field.kind, values[field.kind].trim()])) });
      }}
    >
      <h3 id={`handles-${songwriterId}`} className="text-sm font-semibold text-zinc-900">How to reach them</h3>
      <div className="grid gap-2 sm:grid-cols-2">
        {handleFields.map((field) => (
          <TextField
            key={field.kind}
            label={field.label}
            type={field.type}
            placeholder={field.placeholder}
            value={values[field.kind]}
            disabled={!mayChange}
            title={why}
            maxLength={2000}
            onChange={(event) => setValues((current) => ({ ...current, [field.kind]: event.target.value }))}
          />
        ))}
      </div>
      <FormError message={update.error ? handlesErrorMessage(update.error) : null} testId="handles-error" />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" className="px-2.5 py-1 text-xs" disabled={!mayChange || !changed || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save handles'}
        </Button>
        {changed ? (
          <Button variant="ghost" className="px-2.5 py-1 text-xs" onClick={() => setValues(saved)}>
            Discard changes
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function Notes({ songwriterId, notes }: { songwriterId: string; notes: SongwriterData['notes'] }) {
  const [body, setBody] = useState('');
  const refresh = useRefresh(songwriterId);
  const { mayChange, why } = useMayChange();
  const note = api.contacts.note.useMutation({
    onSuccess: () => {
      setBody('');
      refresh();
    },
  });
  return (
    <section aria-labelledby={`notes-${songwriterId}`} className="space-y-2">
      <h3 id={`notes-${songwriterId}`} className="text-sm font-semibold text-zinc-900">
        Notes <span className="font-normal text-zinc-500">({notes.length})</span>
      </h3>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (body.trim()) note.mutate({ songwriterId, body: body.trim() });
        }}
      >
        <label htmlFor={`note-body-${songwriterId}`} className="sr-only">
          Add a note
        </label>
        <textarea
          id={`note-body-${songwriterId}`}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          maxLength={4000}
          rows={2}
          disabled={!mayChange}
          title={why}
          placeholder="A call, a reply, who knows their manager…"
          className="w-full rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none disabled:bg-zinc-50"
        />
        <div className="flex items-center gap-2">
          <Button type="submit" variant="primary" className="px-2.5 py-1 text-xs" disabled={!mayChange || note.isPending || !body.trim()}>
            {note.isPending ? 'Saving…' : 'Add note'}
          </Button>
          {note.error ? (
            <p role="alert" className="text-xs text-rose-700">
              {note.error.message}
            </p>
          ) : null}
        </div>
      </form>
      {notes.length === 0 ? (
        <p className="text-sm text-zinc-400">No notes yet.</p>
      ) : (
        <ol className="space-y-2" data-testid="contact-notes">
          {notes.map((item) => (
            <li key={item.id} data-testid="contact-note" className="rounded-md bg-zinc-50 px-3 py-2 text-sm">
              <p className="break-words whitespace-pre-wrap text-zinc-800">{item.body}</p>
              <p className="mt-0.5 text-xs text-zinc-500">
                <LocalTime iso={item.at} />
                {item.byName ? ` · ${item.byName}` : ''}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function ContactPanel({ detail }: { detail: SongwriterData }) {
  const contact = detail.contact;
  return (
    <div className="space-y-5" data-testid="contact-panel" data-stage={contact?.stage ?? 'none'}>
      {contact ? (
        <>
          <StageAndOwner songwriterId={detail.id} name={detail.name} contact={contact} />
          <HandlesForm key={JSON.stringify(contact.handles)} songwriterId={detail.id} contact={contact} />
        </>
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-zinc-50 px-3 py-2">
          <p className="text-sm text-zinc-600">Not a contact yet.</p>
          <AddContactButton songwriterId={detail.id} name={detail.name} />
        </div>
      )}
      <Notes songwriterId={detail.id} notes={detail.notes} />
    </div>
  );
}
