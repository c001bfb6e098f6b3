/**
 * The unsigned score, category by category, on songwriters written into the database and
 * rescored as a job's transaction does (rescoreSongwriters): the points and the evidence a scout
 * reads. Then the label list: its matching rules, an overriding file, and a file with a mistake.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { songwriterCredits } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { classifyLabel, isEarlyCareerPlaylist, readScoreConfig, reloadScoreConfig, ScoreConfigError, defaultLabelClassesPath } from '~/server/songwriters/score-config';
import type { ScoreCategory, ScoreCategoryKey } from '~/server/songwriters/types';
import { collect, waitFor } from '../support/iterate';
import { callerFor } from '../support/caller';
import { createTestRuntime, engines, tempDir, type TestRuntime } from '../support/runtime';
import { scoreFixture } from './score-fixture';

const published = [{ name: 'Northbound Songs', ipi: '00011122233', share: 50, administrators: [] }];

function category(breakdown: { categories: ScoreCategory[] } | null, key: ScoreCategoryKey): Pick<ScoreCategory, 'points' | 'evidence'> {
  const found = breakdown?.categories.find((c) => c.key === key);
  if (!found) throw new Error(`no ${key} category`);
  return { points: found.points, evidence: found.evidence };
}

describe.each(engines)('scoring songwriters on %s', (engine) => {
  let rt: TestRuntime;
  let fx: ReturnType<typeof scoreFixture>;
  beforeAll(async () => {
    rt = await createTestRuntime({ engine });
    fx = scoreFixture(rt, rt.workspaceId);
  });
  afterAll(() => rt.dispose());
  afterEach(() => void reloadScoreConfig(defaultLabelClassesPath));

  test('publishing: 4 when every work found has no publisher; 0 naming the publisher when one has; 0 when no work was found', async () => {
    const unsigned = await fx.songwriter('Ada Vale');
    await fx.credit(
      unsigned,
      await fx.track({ name: 'Paper Moon', publisherStatus: 'unpublished', workCode: 'W1', streams: 900 }),
      await fx.track({ name: 'Low Tide', publisherStatus: 'unpublished', workCode: 'W2', streams: 50 }),
      await fx.track({ name: 'Unfound', publisherStatus: 'unknown' }),
    );
    const signed = await fx.songwriter('Bo Reyes');
    await fx.credit(
      signed,
      await fx.track({ name: 'Open Road', artist: 'Bo Reyes', publisherStatus: 'published', workCode: 'W3', publishers: published }),
      await fx.track({ name: 'Side B', publisherStatus: 'unpublished' }),
    );
    const unknown = await fx.songwriter('Cy Lark');
    await fx.credit(unknown, await fx.track({ publisherStatus: 'unknown' }), await fx.track({ publisherStatus: 'unknown' }));
    await fx.rescore(unsigned, signed, unknown);

    const a = await fx.read(unsigned);
    expect(a.publisherStatus).toBe('unpublished');
    expect(category(a.scoreBreakdown, 'publishing')).toEqual({
      points: 4,
      evidence: ['No publisher holds a share of any of their 2 works found: “Paper Moon” by Ada Vale and “Low Tide” by Ada Vale.', 'No work was found for 1 other track.'],
    });
    const b = await fx.read(signed);
    expect(b.publisherStatus).toBe('published');
    expect(category(b.scoreBreakdown, 'publishing')).toEqual({ points: 0, evidence: ['“Open Road” by Bo Reyes is published by Northbound Songs (work W3).'] });
    const c = await fx.read(unknown);
    expect(c.publisherStatus).toBe('unknown');
    expect(category(c.scoreBreakdown, 'publishing')).toEqual({ points: 0, evidence: ['No work was found for any of their 2 tracks: whether they have a publisher is unknown.'] });
  });

  test('release pathway: DIY 3, independent distributor 2, independent label 1, major 0, no label 0; the most established release decides', async () => {
    const cases = [
      { labels: ['DistroKid'], points: 3, first: 'Their most established releases are self-released or through a DIY distributor: 3 points.', line: '“DistroKid” (1 track, “DistroKid song”) is a DIY distributor.' },
      { labels: ['AWAL Recordings'], points: 2, first: 'Their most established releases are through an independent distributor: 2 points.', line: '“AWAL Recordings” (1 track, “AWAL Recordings song”) is an independent distributor (it names AWAL).' },
      { labels: ['Sub Pop Records'], points: 1, first: 'Their most established releases are on an independent label: 1 point.', line: '“Sub Pop Records” (1 track, “Sub Pop Records song”) is an independent label (not in the label list).' },
      { labels: ['DistroKid', 'Atlantic Records'], points: 0, first: 'Their most established releases are on a major label: 0 points.', line: '“Atlantic Records” (1 track, “Atlantic Records song”) is a major label (it names Atlantic).' },
      { labels: ['TuneCore', 'Ingrooves Music Group'], points: 2, first: 'Their most established releases are through an independent distributor: 2 points.', line: '“TuneCore” (1 track, “TuneCore song”) is a DIY distributor.' },
      { labels: [null, ''], points: 0, first: 'No label is known for any of their tracks.', line: null },
    ];
    for (const { labels, points, first, line } of cases) {
      const id = await fx.songwriter(`Writer of ${labels.join(' and ')}`);
      for (const label of labels) await fx.credit(id, await fx.track({ label, name: `${label} song` }));
      await fx.rescore(id);
      const pathway = category((await fx.read(id)).scoreBreakdown, 'pathway');
      expect(pathway.points, labels.join()).toBe(points);
      expect(pathway.evidence[0]).toBe(first);
      if (line) expect(pathway.evidence).toContain(line);
    }
  });

  test('release pathway: a label that is the artist’s own name, or “Independent”, is self-released', async () => {
    const own = await fx.songwriter('Dee Marsh');
    await fx.credit(own, await fx.track({ name: 'Homemade', artist: 'Dee Marsh & The Reeds', label: 'Dee Marsh' }), await fx.track({ name: 'Tape', label: 'Independent' }));
    await fx.rescore(own);
    expect(category((await fx.read(own)).scoreBreakdown, 'pathway')).toEqual({
      points: 3,
      evidence: [
        'Their most established releases are self-released or through a DIY distributor: 3 points.',
        '“Dee Marsh” (1 track, “Homemade”) is the artist\'s own name: self-released.',
        '“Independent” (1 track, “Tape”) means self-released.',
      ],
    });
  });

  test('early-career playlists: 2 for a track on a playlist whose name contains a configured name, naming track and playlist', async () => {
    const fresh = await fx.playlist('FRESH FINDS: Indie');
    const chill = await fx.playlist('Chill Vibes');
    const found = await fx.songwriter('Eve Quill');
    await fx.credit(found, await fx.track({ name: 'First Light' }, [fresh, chill]));
    const notFound = await fx.songwriter('Finn Ash');
    await fx.credit(notFound, await fx.track({ name: 'Slow Burn' }, [chill]));
    await fx.rescore(found, notFound);
    expect(category((await fx.read(found)).scoreBreakdown, 'earlyCareer')).toEqual({ points: 2, evidence: ['“First Light” is on FRESH FINDS: Indie.'] });
    expect(category((await fx.read(notFound)).scoreBreakdown, 'earlyCareer')).toEqual({
      points: 0,
      evidence: ['None of their tracks is on an early-career playlist (a name containing “Fresh Finds”, “Lorem”, “Bedroom Pop”, “Undiscovered”, …).'],
    });

    // Another label list (LABEL_CLASSES_PATH, or reloaded): its playlists count, the default's no longer do.
    const file = path.join(tempDir('linernotes-labels-'), 'labels.json');
    const defaults = JSON.parse(fs.readFileSync(defaultLabelClassesPath, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...defaults, earlyCareerPlaylists: ['chill'] }));
    reloadScoreConfig(file);
    await fx.rescore(found, notFound);
    expect(category((await fx.read(found)).scoreBreakdown, 'earlyCareer')).toEqual({ points: 2, evidence: ['“First Light” is on Chill Vibes.'] });
    expect(category((await fx.read(notFound)).scoreBreakdown, 'earlyCareer')).toEqual({ points: 2, evidence: ['“Slow Burn” is on Chill Vibes.'] });
  });

  test('metadata sparsity: the share of facts missing over their tracks and their IPI, to one decimal', async () => {
    const sparse = await fx.songwriter('Gil Brook', { ipi: '00012345678' });
    await fx.credit(sparse, await fx.track({ label: 'Sub Pop' }), await fx.track({ label: 'Sub Pop', isrc: '', iswc: null, streams: null }));
    const complete = await fx.songwriter('Hal Penn');
    await fx.credit(complete, await fx.track({ label: 'Sub Pop' }), await fx.track({ label: 'Sub Pop' }));
    const bare = await fx.songwriter('Ida Cole');
    await fx.credit(bare, await fx.track({ isrc: null, label: null, releaseDate: null, iswc: null, streams: null }));
    const known = await fx.songwriter('Jo Fenn', { ipi: '00087654321' });
    await fx.credit(known, await fx.track({ label: 'Sub Pop' }));
    await fx.rescore(sparse, complete, bare, known);
    expect(category((await fx.read(sparse)).scoreBreakdown, 'sparsity')).toEqual({
      points: 0.3,
      evidence: ['3 of 11 facts are missing: no ISRC on 1 of 2 tracks, no ISWC on 1 of 2 tracks, no stream count on 1 of 2 tracks.'],
    });
    expect(category((await fx.read(complete)).scoreBreakdown, 'sparsity')).toEqual({ points: 0.1, evidence: ['1 of 11 facts are missing: no IPI.'] });
    expect(category((await fx.read(bare)).scoreBreakdown, 'sparsity')).toMatchObject({ points: 1 });
    expect(category((await fx.read(known)).scoreBreakdown, 'sparsity')).toEqual({
      points: 0,
      evidence: ['Every fact is known: ISRC, label, release date, ISWC and streams on their one track, and an IPI.'],
    });
  });

  test('consistent independent catalog: 0.5 for two labelled tracks or more, none on a major', async () => {
    const consistent = await fx.songwriter('Kit Moor');
    await fx.credit(consistent, await fx.track({ label: 'DistroKid' }), await fx.track({ label: 'Sub Pop' }), await fx.track({ label: null }));
    const single = await fx.songwriter('Lu Dane');
    await fx.credit(single, await fx.track({ label: 'DistroKid' }), await fx.track({ label: null }));
    const major = await fx.songwriter('Mo Hart');
    await fx.credit(major, await fx.track({ label: 'DistroKid' }), await fx.track({ name: 'Big Single', label: 'Sony Music Entertainment' }), await fx.track({ name: 'Other Single', label: 'Sony Music Entertainment' }));
    await fx.rescore(consistent, single, major);
    expect(category((await fx.read(consistent)).scoreBreakdown, 'independentCatalog')).toEqual({ points: 0.5, evidence: ['2 labelled tracks, none on a major label.'] });
    expect(category((await fx.read(single)).scoreBreakdown, 'independentCatalog')).toEqual({ points: 0, evidence: ['Only one track of theirs has a label: two are needed.'] });
    expect(category((await fx.read(major)).scoreBreakdown, 'independentCatalog')).toEqual({
      points: 0,
      evidence: ['“Sony Music Entertainment” is a major label (e.g. “Big Single”).'],
    });
  });

  test('no external identity record: 0.5 without an IPI, 0 naming the IPI', async () => {
    const none = await fx.songwriter('Ned Fox');
    await fx.credit(none, await fx.track());
    const ipi = await fx.songwriter('Ola Wren', { ipi: '00455566677' });
    await fx.credit(ipi, await fx.track());
    await fx.rescore(none, ipi);
    expect(category((await fx.read(none)).scoreBreakdown, 'noIdentity')).toEqual({ points: 0.5, evidence: ['No IPI name number is on record for them.'] });
    expect(category((await fx.read(ipi)).scoreBreakdown, 'noIdentity')).toEqual({ points: 0, evidence: ['IPI 00455566677 on record.'] });
  });

  test('the total is the sum to one decimal, capped at 10; totals count each track once', async () => {
    const fresh = await fx.playlist('Fresh Finds');
    const top = await fx.songwriter('Pia Stone');
    const missingAll = { isrc: null, releaseDate: null, iswc: null, streams: null, label: 'DistroKid', publisherStatus: 'unpublished' as const };
    const first = await fx.track({ ...missingAll, firstSeenAt: new Date('2024-01-02T00:00:00Z') }, [fresh]);
    await fx.credit(top, first, await fx.track({ ...missingAll, firstSeenAt: new Date('2025-05-05T00:00:00Z') }));
    await fx.rescore(top);
    const row = await fx.read(top);
    // 4 + 3 + 2 + 0.8 (9 of 11 facts missing) + 0.5 + 0.5 = 10.8
    expect(row.scoreBreakdown!.categories.map((c) => [c.key, c.points])).toEqual([
      ['publishing', 4],
      ['pathway', 3],
      ['earlyCareer', 2],
      ['sparsity', 0.8],
      ['independentCatalog', 0.5],
      ['noIdentity', 0.5],
    ]);
    expect(row.score).toBe(10);
    expect(row.scoreBreakdown!.total).toBe(10);
    expect(row.scoreBreakdown!.categories.map((c) => c.max)).toEqual([4, 3, 2, 1, 0.5, 0.5]);
    expect(row.firstSeenAt.toISOString()).toBe('2024-01-02T00:00:00.000Z');

    // Credited twice on one track (two names of theirs): one track, its streams once.
    const twice = await fx.songwriter('Quin Hale');
    const song = await fx.track({ streams: 1234, label: 'Sub Pop' });
    await fx.credit(twice, song);
    await rt.db.insert(songwriterCredits).values({ workspaceId: rt.workspaceId, trackId: song, nameKey: 'another name', songwriterId: twice, creditedName: 'Q. Hale', source: 'musicbrainz' });
    await fx.rescore(twice);
    const counted = await fx.read(twice);
    expect(counted).toMatchObject({ trackCount: 1, totalStreams: 1234 });
    // No work found (0) + 1 (independent label) + 0 + 0.2 (no IPI: 1 of 6 facts) + 0 + 0.5 (no IPI)
    expect(counted.score).toBeCloseTo(1.7, 5);
  });

  test('a songwriter without credits is unscored; a change is announced once, with the previous score', async () => {
    const controller = new AbortController();
    const stream = collect(await callerFor(rt, controller.signal).leads({}), controller);
    await waitFor(() => stream.messages.length > 0, { what: 'the leads snapshot' });
    const uncredited = await fx.songwriter('Sol Berg');
    const id = await fx.songwriter('Rae Lund');
    await fx.credit(id, await fx.track({ label: 'DistroKid', publisherStatus: 'unpublished' }));
    await fx.rescore(uncredited, id);
    await fx.rescore(id); // nothing changed: no second event
    expect(await fx.read(uncredited)).toMatchObject({ score: 0, scoreBreakdown: null, trackCount: 0, publisherStatus: 'unknown', totalStreams: 0 });
    // 4 (unpublished) + 3 (DistroKid) + 0 + 0.2 (no IPI: 1 of 6 facts) + 0 (one labelled track) + 0.5 (no IPI)
    expect((await fx.read(id)).score).toBeCloseTo(7.7, 5);

    // Its credits gone (a merge moved them, or its tracks no longer name it): unscored again.
    await rt.db.delete(songwriterCredits).where(eq(songwriterCredits.songwriterId, id));
    await fx.rescore(id);
    expect(await fx.read(id)).toMatchObject({ score: 0, scoreBreakdown: null, trackCount: 0, publisherStatus: 'unknown', totalStreams: 0 });

    const events = () => stream.events.filter((e): e is Envelope<'songwriter_score_changed'> => e.type === 'songwriter_score_changed');
    await waitFor(() => events().length >= 2, { what: 'two score changes' });
    expect(events().map((e) => [e.keys.songwriterId, e.data.previous, e.data.score, e.data.trackCount, e.data.publisherStatus])).toEqual([
      [id, null, 7.7, 1, 'unpublished'],
      [id, 7.7, 0, 0, 'unknown'],
    ]);
    expect(events()[0]!.data).toMatchObject({ songwriterId: id, name: 'Rae Lund', totalStreams: 1000 });
    expect(events()[0]!.data.categories.map((c) => c.key)).toEqual(['publishing', 'pathway', 'earlyCareer', 'sparsity', 'independentCatalog', 'noIdentity']);
    expect(events()[1]!.data.categories).toEqual([]);
    await stream.stop();
  });
});

describe('the label list', () => {
  afterEach(() => void reloadScoreConfig(defaultLabelClassesPath));

  test('a label is in a group when it names one of its names as whole words, ignoring case, accents and punctuation', () => {
    const config = readScoreConfig(defaultLabelClassesPath);
    expect(classifyLabel('Atlantic Records', null, config)).toBe('major');
    expect(classifyLabel('Universal Music Group', null, config)).toBe('major');
    expect(classifyLabel('Spinnin’ Records', null, config)).toBe('major');
    expect(classifyLabel('distrokid', null, config)).toBe('diy');
    expect(classifyLabel('CD Baby', null, config)).toBe('diy');
    expect(classifyLabel('The Orchard Enterprises', null, config)).toBe('independent_distributor');
    // Whole words only: a name inside another word is no match.
    expect(classifyLabel('Stemwinder Records', null, config)).toBe('independent_label');
    expect(classifyLabel('Epicentre Sound', null, config)).toBe('independent_label');
    // The longest name wins across groups: Virgin Music Group distributes, Virgin Records is a major.
    expect(classifyLabel('Virgin Music Group', null, config)).toBe('independent_distributor');
    expect(classifyLabel('Virgin Records', null, config)).toBe('major');
  });

  test('self-released: the artist’s own name or a self-released word as the whole label; no label is unknown', () => {
    const config = readScoreConfig(defaultLabelClassesPath);
    expect(classifyLabel('Independent', null, config)).toBe('diy');
    expect(classifyLabel('SELF-RELEASED', null, config)).toBe('diy');
    expect(classifyLabel('Independent Records Ltd', null, config)).toBe('independent_label');
    expect(classifyLabel('Zoë Lane', 'Zoe Lane, Mika', config)).toBe('diy');
    expect(classifyLabel('Mika', 'Zoë Lane feat. Mika', config)).toBe('diy');
    expect(classifyLabel('Zoë Lane Music', 'Zoë Lane', config)).toBe('independent_label');
    expect(classifyLabel(null, 'Zoë Lane', config)).toBe('unknown');
    expect(classifyLabel('  ', null, config)).toBe('unknown');
  });

  test('early-career playlists match by name, ignoring case', () => {
    const config = readScoreConfig(defaultLabelClassesPath);
    expect(isEarlyCareerPlaylist('fresh finds: hip-hop', config)).toBe(true);
    expect(isEarlyCareerPlaylist('Lorem', config)).toBe(true);
    expect(isEarlyCareerPlaylist('Today’s Top Hits', config)).toBe(false);
  });

  test('LABEL_CLASSES_PATH names another file; a file with a mistake is refused with the problem named', () => {
    const dir = tempDir('linernotes-labels-');
    const defaults = JSON.parse(fs.readFileSync(defaultLabelClassesPath, 'utf8'));
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ ...defaults, major: ['Sub Pop'] }));
    const previous = process.env.LABEL_CLASSES_PATH;
    process.env.LABEL_CLASSES_PATH = other;
    try {
      reloadScoreConfig();
      expect(classifyLabel('Sub Pop Records')).toBe('major');
      expect(classifyLabel('Atlantic Records')).toBe('independent_label');
    } finally {
      if (previous === undefined) delete process.env.LABEL_CLASSES_PATH;
      else process.env.LABEL_CLASSES_PATH = previous;
    }

    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "diy": [');
    expect(() => reloadScoreConfig(broken)).toThrow(ScoreConfigError);
    expect(() => reloadScoreConfig(broken)).toThrow(`The label classes file ${broken} could not be read`);
    const typo = path.join(dir, 'typo.json');
    fs.writeFileSync(typo, JSON.stringify({ ...defaults, majors: defaults.major, major: undefined, earlyCareerPlaylists: [''] }));
    const problem = (() => {
      try {
        reloadScoreConfig(typo);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(problem).toContain(`The label classes file ${typo} is not valid: `);
    expect(problem).toMatch(/major: [^;]*expected array/);
    expect(problem).toContain('earlyCareerPlaylists.0: a name may not be empty');
    expect(problem).toContain('majors');
    // A refused file leaves the config that was in force.
    expect(classifyLabel('Atlantic Records')).toBe('independent_label');
  });
});
