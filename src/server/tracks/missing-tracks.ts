import { plural } from './track-history';

/**
 * For a request over many tracks that is all or nothing: which of the ids asked for are not
 * tracks of the workspace (the first three named), or null when every one was found. `outcome`
 * ends the sentence with what did not happen ("nothing was queued").
 */
export function missingTracksMessage(asked: readonly string[], found: readonly { id: string }[], outcome: string): string | null {
  if (found.length >= asked.length) return null;
  const known = new Set(found.map((row) => row.id));
  const missing = asked.filter((id) => !known.has(id));
  const named = missing.slice(0, 3).join(', ') + (missing.length > 3 ? `, and ${missing.length - 3} more` : '');
  return `${plural(missing.length, 'track')} of the ${asked.length} asked for ${missing.length === 1 ? 'was' : 'were'} not found in this workspace (${named}); ${outcome}.`;
}
