/**
 * Credited songwriter names as links to the songwriters list searched for that name (which finds
 * the record under any name it is credited as), comma-separated; "—" for none.
 */
import Link from 'next/link';

export function SongwriterLinks({ names }: { names: readonly string[] | null | undefined }) {
  if (!names || names.length === 0) return <>—</>;
  return (
    <>
      {names.map((name, index) => (
        <span key={`${name}:${index}`}>
          {index > 0 ? ', ' : ''}
          <Link href={`/songwriters?${new URLSearchParams({ q: name }).toString()}`} className="rounded text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
            {name}
          </Link>
        </span>
      ))}
    </>
  );
}
