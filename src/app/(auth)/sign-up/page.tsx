import { SignUpForm } from '~/components/auth/sign-up-form';

export const metadata = { title: 'Create your account · Linernotes' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignUpForm next={typeof next === 'string' ? next : null} />;
}
