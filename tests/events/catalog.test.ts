import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { catalog, eventTypes, isDurable, parseEventInput } from '~/server/events/catalog';
import { leadsTypes, subscriptionTypes, trackExplorerTypes } from '~/server/api/subscriptions';

// Every event type the old app's audit names, working or missing, is a requirement here.
const auditPath = new URL('../../../shared/seed-websocket-audit.md', import.meta.url);
const auditEventTypes = [
  'track_enriched',
  'batch_complete',
  'chartmetric_progress',
  'metric_update',
  'playlist_updated',
  'playlist_error',
  'job_status_changed',
  'activity_logged',
  'track_status_changed',
  'bulk_import_progress',
];

describe('event catalog', () => {
  test('holds every event type the seed audit names', () => {
    for (const type of auditEventTypes) expect(eventTypes).toContain(type);
  });

  test('the audit file, where present, names no snake_case event the catalog lacks', () => {
    if (!fs.existsSync(auditPath)) return expect(auditEventTypes.length).toBeGreaterThan(0);
    const audit = fs.readFileSync(auditPath, 'utf8');
    // Quoted type strings in its code samples: broadcast('x', ...), type: 'x', onX handlers.
    const named = new Set([...audit.matchAll(/['`]([a-z]+(?:_[a-z]+)+)['`]/g)].map((m) => m[1]!));
    // The old app's enrichment_job_* names became one job_status_changed event (from/to status).
    const renamed = new Set(['enrichment_job_started', 'enrichment_job_completed', 'enrichment_job_failed']);
    const missing = [...named].filter((type) => !renamed.has(type) && !(type in catalog));
    expect(missing).toEqual([]);
  });

  test('covers the design table: live followers, analytics, phases, import finish', () => {
    for (const type of ['follower_count_changed', 'analytics_updated', 'enrichment_phase', 'bulk_import_finished'] as const) {
      expect(catalog[type]).toBeDefined();
    }
    expect(isDurable('job_status_changed')).toBe(true);
    expect(isDurable('bulk_import_progress')).toBe(false);
    expect(isDurable('metric_update')).toBe(false);
  });

  test('every event type reaches a subscription: exactly one of the five, or the explorer\'s or leads\'', () => {
    const carried: string[] = Object.values(subscriptionTypes).flat();
    expect(new Set(carried).size, 'no type on two of the five subscriptions').toBe(carried.length);
    expect([...new Set([...carried, ...trackExplorerTypes, ...leadsTypes])].sort()).toEqual([...eventTypes].sort());
  });

  test('a producer bug fails loudly at publish time, not on the wire', () => {
    expect(() =>
      parseEventInput({ type: 'job_status_changed', workspaceId: 'w', keys: {}, data: { jobId: 'j' } as never }),
    ).toThrow();
    expect(() =>
      parseEventInput({ type: 'chartmetric_progress', workspaceId: 'w', keys: { bogus: 'x' } as never, data: { jobId: 'j', playlistId: null, done: 1, total: 2 } }),
    ).toThrow();
  });
});
