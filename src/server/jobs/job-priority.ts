/**
 * Which queued job a worker claims first: lower first, then the oldest due. Interactive work (a
 * playlist added by hand, a refresh, a re-enrich, a retry) is what a person is waiting for; bulk
 * work (an import's fetches and the enrichment they queue) can wait behind it without anyone
 * staring at a spinner, so a 10,000-row import never delays the playlist someone just added.
 */
export const JOB_PRIORITY = {
  interactive: 0,
  bulk: 100,
} as const;

export type JobPriority = (typeof JOB_PRIORITY)[keyof typeof JOB_PRIORITY];
