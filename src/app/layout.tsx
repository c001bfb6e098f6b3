import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AccessProblemWatcher } from '~/components/auth/access-problem-watcher';
import { ToastProvider } from '~/components/toasts/toast-provider';
import { TRPCReactProvider } from '~/trpc/react';
import './globals.css';

export const metadata: Metadata = { title: 'Linernotes', description: 'Live playlist enrichment' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/** Every page: toasts and the tRPC client. The app's own frame is in (app)/layout.tsx; sign-in pages have theirs in (auth)/layout.tsx. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
          Skip to content
        </a>
        <ToastProvider>
          <TRPCReactProvider>
            <AccessProblemWatcher />
            {children}
          </TRPCReactProvider>
        </ToastProvider>
      </body>
    </html>
  );
}
