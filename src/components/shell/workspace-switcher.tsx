'use client';
/** The workspace the app acts for: shows it, lists the person's others to switch to, creates a new one. */
import { useEffect, useRef, useState } from 'react';
import { CreateWorkspaceForm } from '../workspace/create-workspace-form';
import { useSwitchWorkspace } from '../workspace/use-switch-workspace';
import { useCurrentWorkspace, useMyWorkspaces } from '../workspace/workspace-queries';

export function WorkspaceSwitcher() {
  const current = useCurrentWorkspace();
  const mine = useMyWorkspaces();
  const switchTo = useSwitchWorkspace();
  const [open, setOpen] = useState(false);
  const [switching, setSwitching] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const activeId = current.data?.workspace.id;
  const name = current.data?.workspace.name ?? '…';

  return (
    <div ref={root} className="relative">
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls="workspace-menu"
        aria-label={`Workspace: ${name}`}
        data-testid="workspace-switcher"
        data-workspace-id={activeId}
        onClick={() => setOpen((was) => !was)}
        className="inline-flex max-w-48 items-center sm:max-w-56 gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span className="truncate">{name}</span>
        <svg aria-hidden viewBox="0 0 20 20" className="size-4 shrink-0 text-zinc-500" fill="currentColor">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </button>
      {open ? (
        <div id="workspace-menu" role="group" aria-label="Workspaces" className="absolute left-0 z-40 mt-2 w-72 sm:right-0 sm:left-auto rounded-lg border border-zinc-200 bg-white p-3 shadow-lg">
          <p className="mb-1 text-xs font-medium text-zinc-500 uppercase">Your workspaces</p>
          {mine.isPending ? <p className="py-2 text-sm text-zinc-500">Loading…</p> : null}
          {mine.error ? <p role="alert" className="py-2 text-sm text-rose-700">{mine.error.message}</p> : null}
          <ul className="mb-3 space-y-0.5">
            {(mine.data ?? []).map((workspace) => {
              const active = workspace.id === activeId;
              return (
                <li key={workspace.id}>
                  <button
                    type="button"
                    aria-current={active ? 'true' : undefined}
                    aria-label={active ? `${workspace.name} (current workspace)` : `Switch to ${workspace.name}`}
                    disabled={active || switching !== null}
                    onClick={async () => {
                      setSwitching(workspace.id);
                      try {
                        if (await switchTo(workspace)) setOpen(false);
                      } finally {
                        setSwitching(null);
                      }
                    }}
                    className={`flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? 'bg-indigo-50 font-medium text-indigo-800' : 'text-zinc-800 hover:bg-zinc-100 disabled:text-zinc-400'}`}
                  >
                    <span className="truncate">{workspace.name}</span>
                    {active ? <span className="text-xs">current</span> : switching === workspace.id ? <span className="text-xs">switching…</span> : null}
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="border-t border-zinc-100 pt-3">
            <CreateWorkspaceForm onCreated={() => setOpen(false)} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
