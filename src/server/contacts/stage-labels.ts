/** What a stage is called in sentences (activity messages, the CSV), in board order. */
import type { ContactStage } from '~/server/db/schema';

export const stageLabels = {
  new: 'New',
  researching: 'Researching',
  contacted: 'Contacted',
  in_talks: 'In talks',
  signed: 'Signed',
  passed: 'Passed',
} as const satisfies Record<ContactStage, string>;

export function contactStageLabel(stage: ContactStage): string {
  return stageLabels[stage];
}
