import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { LiveDataProvider } from '~/components/live/live-data-provider';
import { AppShell } from '~/components/shell/app-shell';
import { ToastProvider } from '~/components/toasts/toast-provider';
import { TRPCReactProvider } from '~/trpc/react';
import './globals.css';

export const metadata: Metadata = { title: 'Linernotes', description: 'Live playlist enrichment' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
          Skip to content
        </a>
        <TRPCReactProvider>
          <ToastProvider>
            <LiveDataProvider>
              <AppShell>{children}</AppShell>
            </LiveDataProvider>
          </ToastProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
