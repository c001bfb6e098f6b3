'use client';
/**
 * The frame of every page: navigation, the workspace switcher, who is signed in, the connection
 * indicator, the page, the activity panel.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { accessProblemOf } from '~/trpc/react';
import { ActivityPanel } from '../activity/activity-panel';
import { isWorkspaceRole, roleAtLeast } from '../workspace/workspace-roles';
import { useCurrentWorkspace } from '../workspace/workspace-queries';
import { AccountSummary } from './account-summary';
import { ConnectionIndicator } from './connection-indicator';
import { NoWorkspace } from './no-workspace';
import { WorkspaceSwitcher } from './workspace-switcher';

const links = [
  { href: '/', label: 'Dashboard' },
  { href: '/playlists', label: 'Playlists' },
  { href: '/tracks', label: 'Tracks' },
  { href: '/songwriters', label: 'Songwriters' },
  { href: '/contacts', label: 'Contacts' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/imports', label: 'Import' },
  { href: '/members', label: 'Members' },
  { href: '/api-keys', label: 'API keys', adminsOnly: true },
  { href: '/ops', label: 'Ops', operatorsOnly: true },
];

function isCurrent(pathname: string, href: string) {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? '/';
  const current = useCurrentWorkspace();
  const role = current.data?.role;
  const isAdmin = isWorkspaceRole(role) && roleAtLeast(role, 'admin');
  const noWorkspace = accessProblemOf(current.error)?.code === 'FORBIDDEN' ? current.error!.message : null;
  return (
    <div className="flex min-h-screen flex-col lg:flex-row">
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
            <Link href="/" className="flex items-center gap-2 rounded font-semibold tracking-tight text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
              <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">♪</span>
              Linernotes
            </Link>
            <nav aria-label="Main" className="order-3 -mx-1 flex w-full gap-1 overflow-x-auto 2xl:order-none 2xl:w-auto">
              {links
                .filter((link) => (!link.adminsOnly || isAdmin) && (!link.operatorsOnly || current.data?.operator))
                .map((link) => {
                  const here = isCurrent(pathname, link.href);
                  return (
                    <Link
                      key={link.href}
                      href={link.href}
                      aria-current={here ? 'page' : undefined}
                      className={`rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-indigo-600 ${here ? 'bg-indigo-50 text-indigo-700' : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900'}`}
                    >
                      {link.label}
                    </Link>
                  );
                })}
            </nav>
            <div className="flex w-full flex-wrap items-center gap-x-3 gap-y-2 sm:ml-auto sm:w-auto">
              <WorkspaceSwitcher />
              <AccountSummary />
              <ConnectionIndicator />
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
          {noWorkspace ? <NoWorkspace message={noWorkspace} /> : children}
        </main>
      </div>
      <ActivityPanel />
    </div>
  );
}
