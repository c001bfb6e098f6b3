import type { ReactNode } from 'react';

/** Sign-in, sign-up and invitation pages: no live data and no navigation, just the form. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <p className="mb-6 flex items-center gap-2 font-semibold tracking-tight text-zinc-900">
        <span aria-hidden className="grid size-8 place-items-center rounded-md bg-indigo-600 text-white">♪</span>
        Linernotes
      </p>
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
