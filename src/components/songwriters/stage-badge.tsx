/** A contact's stage as a pill (the text is the stage; the colour only helps), or "No contact". */
import { stageLabels, type ContactStage } from './leads-query';

const tones: Record<ContactStage, string> = {
  new: 'bg-sky-50 text-sky-800 ring-sky-300',
  researching: 'bg-violet-50 text-violet-800 ring-violet-300',
  contacted: 'bg-indigo-50 text-indigo-800 ring-indigo-300',
  in_talks: 'bg-amber-50 text-amber-900 ring-amber-300',
  signed: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  passed: 'bg-zinc-100 text-zinc-600 ring-zinc-300',
};

export function StageBadge({ stage }: { stage: ContactStage | null }) {
  if (!stage) return <span className="text-xs text-zinc-400">No contact</span>;
  return (
    <span data-testid="stage-badge" data-stage={stage} className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${tones[stage]}`}>
      {stageLabels[stage]}
    </span>
  );
}
