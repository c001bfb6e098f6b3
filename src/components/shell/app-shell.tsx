'use client';
/** The frame of every page: navigation, the connection indicator, the page, the activity panel. */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { ActivityPanel } from '../activity/activity-panel';
import { ConnectionIndicator } from './connection-indicator';

const links = [
  { href: '/', label: 'Dashboard' },
  { href: '/playlists', label: 'Playlists' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/imports', label: 'Import' },
];

function isCurrent(pathname: string, href: string) {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? '/';
  return (
    <div className="flex min-h-screen flex-col lg:flex-row">
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="flex items-center gap-2 rounded font-semibold tracking-tight text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
              <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">♪</span>
              Linernotes
            </Link>
            <nav aria-label="Main" className="order-3 -mx-1 flex w-full gap-1 overflow-x-auto sm:order-none sm:w-auto">
              {links.map((link) => {
                const current = isCurrent(pathname, link.href);
                return (
                  <Link
                    key={link.href}
                    href={link.href}
                    aria-current={current ? 'page' : undefined}
                    className={`rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-indigo-600 ${current ? 'bg-indigo-50 text-indigo-700' : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900'}`}
                  >
                    {link.label}
                  </Link>
                );
              })}
            </nav>
            <div className="ml-auto">
              <ConnectionIndicator />
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
          {children}
        </main>
      </div>
      <ActivityPanel />
    </div>
  );
}
