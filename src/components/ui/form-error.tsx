/** A form's error, announced when it appears. */
export function FormError({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid={testId} className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
      {message}
    </p>
  );
}
