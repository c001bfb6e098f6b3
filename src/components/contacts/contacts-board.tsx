'use client';
/**
 * The contacts board: a column per stage, cards in the team's order. A card is dragged (HTML5
 * drag and drop) to another place or column, or moved with its own controls (a stage select and
 * up/down buttons, for the keyboard). A move shows at once (board-state.ts places it the way the
 * server will), is sent as contacts.move with the card it was dropped before, and is put back,
 * with a toast, if the server refuses it.
 *
 * Live: another member's move arrives as `contact_changed` with the card's stage and position
 * after it, applied to the board straight away (no read); what an event cannot draw (a new card,
 * a note count) re-reads the board, at most once per 250 ms.
 */
import Link from 'next/link';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { PublisherStatusBadge } from '../track-detail/track-rights';
import { EmptyState } from '../ui/card';
import { useMayChange } from '../workspace/workspace-queries';
import { contactStages, stageLabels, type ContactStage, type LeadsQuery } from '../songwriters/leads-query';
import { ScoreMeter } from '../songwriters/score-meter';
import { useLeadsLive, useThrottledRead } from '../songwriters/use-leads-live';
import {
  applyContactChange,
  applyScoreChange,
  beforeIdAt,
  isSamePlace,
  moveCard,
  shownColumns,
  stepMove,
  type BoardCard,
  type BoardColumn,
  type BoardData,
} from './board-state';
import { boardInputOf } from './contacts-query';

/** What a card being dragged carries, so a drop from elsewhere (a link, a file) is not taken for one. */
const CARD_TYPE = 'application/x-linernotes-contact';

interface MoveRequest {
  songwriterId: string;
  name: string;
  stage: ContactStage;
  beforeId: string | null;
  /** A move made with the card's own controls: the control that made it keeps focus once the card is in its new place. */
  control?: 'stage' | 'up' | 'down';
}

function useBoardMoves(boardInput: ReturnType<typeof boardInputOf>, reread: () => void) {
  const utils = api.useUtils();
  const toast = useToast();
  const mutation = api.contacts.move.useMutation({
    onMutate: async (input) => {
      // A read in flight would land with the card where it was; the read after the move replaces it.
      await utils.contacts.board.cancel(boardInput);
      const previous = utils.contacts.board.getData(boardInput);
      if (previous) utils.contacts.board.setData(boardInput, moveCard(previous, input.songwriterId, input.stage, input.beforeId ?? null));
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) utils.contacts.board.setData(boardInput, context.previous);
    },
    onSettled: () => reread(),
  });
  return (request: MoveRequest) => {
    const board = utils.contacts.board.getData(boardInput);
    if (board && isSamePlace(board, request.songwriterId, request.stage, request.beforeId)) return;
    mutation.mutate(
      { songwriterId: request.songwriterId, stage: request.stage, beforeId: request.beforeId },
      { onError: (error) => toast({ tone: 'error', title: `${request.name} went back where it was`, body: error.message }) },
    );
  };
}

export function ContactsBoard({ query, startFrom }: { query: LeadsQuery; startFrom: string | null }) {
  const utils = api.useUtils();
  const boardInput = boardInputOf(query);
  const board = api.contacts.board.useQuery(boardInput);
  const reread = useThrottledRead(() => void utils.contacts.board.invalidate());
  const moveCardTo = useBoardMoves(boardInput, reread);
  const { mayChange } = useMayChange();
  const [draggingId, setDraggingId] = useState<string | null>(null);

  // A card moved to another column is a new element there: put focus back on the control used.
  const refocus = useRef<(MoveRequest & { at: number }) | null>(null);
  const move = (request: MoveRequest) => {
    refocus.current = request.control ? { ...request, at: Date.now() } : null;
    moveCardTo(request);
  };
  useEffect(() => {
    const request = refocus.current;
    if (!request?.control) return;
    // A move the server refused never lands; don't take focus for it later.
    if (Date.now() - request.at > 3_000) {
      refocus.current = null;
      return;
    }
    const moved = document.querySelector<HTMLElement>(`[data-testid="board-card"][data-songwriter-id="${request.songwriterId}"][data-stage="${request.stage}"]`);
    if (!moved) return;
    refocus.current = null;
    const button = request.control === 'stage' ? null : moved.querySelector<HTMLButtonElement>(`[data-step="${request.control}"]:not(:disabled)`);
    (button ?? moved.querySelector<HTMLElement>('select'))?.focus();
  });

  useLeadsLive({
    streamKey: 'leads:board',
    startFrom,
    onSnapshot: reread,
    onEvents: (events) => {
      let needsRead = false;
      utils.contacts.board.setData(boardInput, (current) => {
        if (!current) {
          needsRead = true;
          return current;
        }
        let next: BoardData = current;
        for (const event of events) {
          if (event.type === 'contact_changed') {
            const applied = applyContactChange(next, event.data, boardInput.ownerId);
            next = applied.board;
            if (applied.reread) needsRead = true;
          } else if (event.type === 'songwriter_score_changed') {
            next = applyScoreChange(next, event.data);
          } else {
            // A note (the count), a merge or split (cards come and go): read the board again.
            needsRead = true;
          }
        }
        return next;
      });
      if (needsRead) reread();
    },
  });

  if (board.isPending) return <p className="text-sm text-zinc-500">Loading the board…</p>;
  if (board.error) {
    return (
      <p role="alert" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-rose-800">
        {board.error.message}
      </p>
    );
  }
  const columns = shownColumns(board.data, query);
  const empty = board.data.columns.every((column) => column.total === 0);
  return (
    <div className="space-y-3">
      {empty ? <EmptyState>No contacts {query.ownerId || query.q ? 'match these filters' : 'yet'}. Add songwriters as contacts from the Songwriters page or a songwriter’s own page.</EmptyState> : null}
      <div className="grid auto-cols-[minmax(10.5rem,1fr)] grid-flow-col gap-2 overflow-x-auto pb-2" data-testid="contacts-board">
        {columns.map((column) => (
          <Column key={column.stage} column={column} mayChange={mayChange} onMove={move} draggingId={draggingId} onDragging={setDraggingId} />
        ))}
      </div>
    </div>
  );
}

interface ColumnProps {
  column: BoardColumn;
  mayChange: boolean;
  onMove: (request: MoveRequest) => void;
  /** The card being dragged (from any column), if one is. */
  draggingId: string | null;
  onDragging: (songwriterId: string | null) => void;
}

function Column({ column, mayChange, onMove, draggingId, onDragging }: ColumnProps) {
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  // A drag that ended anywhere (dropped elsewhere, cancelled with Escape) leaves no marker behind.
  useEffect(() => {
    if (!draggingId) setDropIndex(null);
  }, [draggingId]);
  const titleId = `board-column-${column.stage}`;
  const shownIds = column.cards.map((card) => card.id);

  const isCardDrag = (event: DragEvent) => event.dataTransfer.types.includes(CARD_TYPE);
  /** Where among the column's other cards the pointer is: before the first card whose middle is below it. */
  const indexAt = (event: DragEvent): number => {
    const elements = [...(list.current?.querySelectorAll<HTMLElement>('[data-testid="board-card"]') ?? [])].filter((element) => element.dataset.songwriterId !== draggingId);
    const index = elements.findIndex((element) => {
      const box = element.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    return index < 0 ? elements.length : index;
  };
  const onDragOver = (event: DragEvent<HTMLElement>) => {
    if (!mayChange || !isCardDrag(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const index = indexAt(event);
    if (index !== dropIndex) setDropIndex(index);
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    if (!mayChange || !isCardDrag(event)) return;
    event.preventDefault();
    const [songwriterId, name = ''] = event.dataTransfer.getData(CARD_TYPE).split('\n');
    const index = indexAt(event);
    setDropIndex(null);
    onDragging(null);
    if (songwriterId) onMove({ songwriterId, name, stage: column.stage, beforeId: beforeIdAt(shownIds, songwriterId, index) });
  };
  const cards = column.cards;
  // The drop index counts the column's cards other than the one being dragged.
  const others = cards.filter((card) => card.id !== draggingId);
  return (
    <section
      aria-labelledby={titleId}
      data-testid="board-column"
      data-stage={column.stage}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropIndex(null);
      }}
      onDrop={onDrop}
      className={`flex min-h-48 flex-col rounded-xl border bg-zinc-50 p-2 ${dropIndex !== null ? 'border-indigo-300 bg-indigo-50/40' : 'border-zinc-200'}`}
    >
      <h2 id={titleId} className="flex items-baseline justify-between px-1 pb-2 text-sm font-semibold text-zinc-900">
        {stageLabels[column.stage]}
        <span className="text-xs font-normal text-zinc-500 tabular-nums" data-testid="column-count">
          {column.cards.length === column.total ? column.total : `${column.cards.length} of ${column.total}`}
        </span>
      </h2>
      <ol ref={list} className="flex flex-1 flex-col gap-2">
        {cards.map((card, index) => (
          <CardItem
            key={card.id}
            card={card}
            stage={column.stage}
            dropBefore={dropIndex !== null && card.id !== draggingId && others.indexOf(card) === dropIndex}
            dragging={card.id === draggingId}
            onDragging={onDragging}
            first={index === 0}
            last={index === cards.length - 1}
            mayChange={mayChange}
            onMove={onMove}
            column={column}
          />
        ))}
        {dropIndex !== null && dropIndex >= others.length ? <li aria-hidden className="h-1 rounded-full bg-indigo-500" /> : null}
      </ol>
    </section>
  );
}

function CardItem({
  card,
  stage,
  column,
  dropBefore,
  dragging,
  onDragging,
  first,
  last,
  mayChange,
  onMove,
}: {
  card: BoardCard;
  stage: ContactStage;
  column: BoardColumn;
  dropBefore: boolean;
  dragging: boolean;
  onDragging: (songwriterId: string | null) => void;
  first: boolean;
  last: boolean;
  mayChange: boolean;
  onMove: (request: MoveRequest) => void;
}) {
  const contact = card.contact;
  const notes = contact?.notes ?? 0;
  const step = (direction: 'up' | 'down') => {
    const board: BoardData = { columns: [column] };
    const target = stepMove(board, card.id, direction);
    if (target) onMove({ songwriterId: card.id, name: card.name, ...target, control: direction });
  };
  return (
    <>
      {dropBefore ? <li aria-hidden className="h-1 rounded-full bg-indigo-500" /> : null}
      <li
        data-testid="board-card"
        data-songwriter-id={card.id}
        data-stage={stage}
        data-dragging={dragging ? 'true' : undefined}
        draggable={mayChange}
        onDragStart={(event) => {
          event.dataTransfer.setData(CARD_TYPE, `${card.id}\n${card.name}`);
          event.dataTransfer.setData('text/plain', card.name);
          event.dataTransfer.effectAllowed = 'move';
          onDragging(card.id);
        }}
        onDragEnd={() => onDragging(null)}
        className={`rounded-lg border border-zinc-200 bg-white p-2.5 shadow-sm ${mayChange ? 'cursor-grab active:cursor-grabbing' : ''} ${dragging ? 'opacity-40' : ''}`}
      >
        <Link
          href={`/songwriters/${card.id}`}
          draggable={false}
          className="line-clamp-2 rounded text-sm font-medium break-words text-zinc-900 hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {card.name}
        </Link>
        <div className="mt-1.5 flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
          <ScoreMeter score={card.score} />
          <PublisherStatusBadge status={card.publisherStatus} />
        </div>
        <div className="mt-1.5 flex items-center justify-between gap-2 text-xs text-zinc-500">
          <span className="truncate" data-testid="card-owner" title={contact?.ownerName ? `Owned by ${contact.ownerName}` : 'Nobody owns this lead'}>
            {contact?.ownerName ?? 'Nobody'}
          </span>
          <span className="shrink-0 tabular-nums" data-testid="card-notes" data-count={notes}>
            {notes} {notes === 1 ? 'note' : 'notes'}
          </span>
        </div>
        {mayChange ? (
          <div className="mt-2 flex items-center gap-1">
            <label className="sr-only" htmlFor={`card-stage-${card.id}`}>
              Move {card.name} to stage
            </label>
            <select
              id={`card-stage-${card.id}`}
              value={stage}
              onChange={(event) => onMove({ songwriterId: card.id, name: card.name, stage: event.target.value as ContactStage, beforeId: null, control: 'stage' })}
              className="min-w-0 flex-1 rounded border border-zinc-200 bg-white px-1 py-0.5 text-xs text-zinc-700 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
            >
              {contactStages.map((one) => (
                <option key={one} value={one}>
                  {stageLabels[one]}
                </option>
              ))}
            </select>
            <button type="button" data-step="up" aria-label={`Move ${card.name} up`} disabled={first} onClick={() => step('up')} className="grid size-6 place-items-center rounded text-zinc-500 hover:bg-zinc-100 disabled:text-zinc-300">
              <span aria-hidden>↑</span>
            </button>
            <button type="button" data-step="down" aria-label={`Move ${card.name} down`} disabled={last} onClick={() => step('down')} className="grid size-6 place-items-center rounded text-zinc-500 hover:bg-zinc-100 disabled:text-zinc-300">
              <span aria-hidden>↓</span>
            </button>
          </div>
        ) : null}
      </li>
    </>
  );
}
