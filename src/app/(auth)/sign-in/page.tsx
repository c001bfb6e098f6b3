import { SignInForm } from '~/components/auth/sign-in-form';

export const metadata = { title: 'Sign in · Linernotes' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignInForm next={typeof next === 'string' ? next : null} />;
}
