/** The songwriter page's data as the API returns it (songwriters.get): a record, or where a merged one went. */
import type { RouterOutputs } from '~/trpc/types';

export type SongwriterAnswer = RouterOutputs['songwriters']['get'];
export type SongwriterData = Exclude<SongwriterAnswer, { mergedInto: string }>;
export type MergedAnswer = Extract<SongwriterAnswer, { mergedInto: string }>;
export type ScoreBreakdownData = NonNullable<SongwriterData['breakdown']>;

export function isMerged(answer: SongwriterAnswer): answer is MergedAnswer {
  return 'mergedInto' in answer && typeof answer.mergedInto === 'string';
}
