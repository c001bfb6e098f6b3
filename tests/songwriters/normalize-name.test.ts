/**
 * Credit names to songwriter keys: the forms MusicBrainz, The MLC and hand-typed sheets use for
 * one person give one key, the display reads as a name, lists split into their names, and what
 * names nobody is no name. The key is stable: normalising a display gives its key back.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalizeIpi, normalizeName, splitCreditNames } from '~/server/songwriters/normalize-name';

const keyOf = (raw: string) => normalizeName(raw)?.key;

describe('normalizeName', () => {
  test('case, spacing and diacritics do not change the key; the display keeps the diacritics', () => {
    expect(normalizeName('Beyoncé')).toEqual({ key: 'beyonce', display: 'Beyoncé' });
    expect(normalizeName('BEYONCE')).toEqual({ key: 'beyonce', display: 'Beyonce' });
    expect(normalizeName('  beyoncé  ')).toEqual({ key: 'beyonce', display: 'beyoncé' });
    // Decomposed input (e + combining acute) is the same name, displayed composed.
    expect(normalizeName('Beyonce\u0301')).toEqual({ key: 'beyonce', display: 'Beyoncé' });
    expect(keyOf('Björk   Guðmundsdóttir')).toBe('bjork gudmundsdottir');
    expect(keyOf('Søren Łukasz Straße')).toBe('soren lukasz strasse');
    expect(keyOf('ＡＢＢＡ Ｆａｎ')).toBe('abba fan');
  });

  test('"Last, First" is "First Last"; an ALL CAPS source is title-cased', () => {
    expect(normalizeName('Smith, John')).toEqual({ key: 'john smith', display: 'John Smith' });
    expect(normalizeName('SMITH, JOHN')).toEqual({ key: 'john smith', display: 'John Smith' });
    expect(normalizeName('KNOWLES, BEYONCÉ')).toEqual({ key: 'beyonce knowles', display: 'Beyoncé Knowles' });
    expect(normalizeName("O'BRIEN-MCKAY, J.R.")).toEqual({ key: "j r o'brien-mckay", display: "J.R. O'Brien-McKay" });
    expect(normalizeName("D'ANGELO")?.display).toBe("D'Angelo");
    // Mixed case is the writer's own spelling: kept.
    expect(normalizeName('will.i.am')?.display).toBe('will.i.am');
    expect(normalizeName('MØ')).toEqual({ key: 'mo', display: 'Mø' });
    // Two commas are not "Last, First"; an empty side is just the other side.
    expect(keyOf('Smith, John, Jr')).toBe('smith john jr');
    expect(normalizeName('Smith,')).toEqual({ key: 'smith', display: 'Smith' });
  });

  test('punctuation goes, except apostrophes and hyphens inside a word', () => {
    expect(keyOf('J. Smith')).toBe('j smith');
    expect(keyOf('J.Smith')).toBe('j smith');
    expect(keyOf('Sinéad O’Connor')).toBe("sinead o'connor");
    expect(keyOf("Sinead O'Connor")).toBe("sinead o'connor");
    expect(keyOf('Jean‐Luc Ponty')).toBe('jean-luc ponty');
    expect(keyOf("'Quoted' -Name-")).toBe('quoted name');
    expect(keyOf('Max Martin (SE)')).toBe('max martin se');
  });

  test('a featured artist is not part of the name; stray markers go', () => {
    expect(normalizeName('John Smith feat. Jane Doe')).toEqual({ key: 'john smith', display: 'John Smith' });
    expect(keyOf('John Smith ft Jane Doe')).toBe('john smith');
    expect(keyOf('John Smith Featuring Jane Doe')).toBe('john smith');
    expect(normalizeName('feat. Jane Doe')).toEqual({ key: 'jane doe', display: 'Jane Doe' });
    expect(keyOf('Jane Doe ft.')).toBe('jane doe');
    expect(keyOf('FT. JANE DOE')).toBe('jane doe');
    // Words that merely start like a marker are names.
    expect(keyOf('Featherstone Ftorek')).toBe('featherstone ftorek');
  });

  test('placeholders and junk are no name', () => {
    for (const junk of ['', '   ', 'Unknown', 'UNKNOWN WRITER', 'Various Artists', 'various', 'N/A', 'n.a.', 'Traditional', 'Trad.', 'Anonymous', '?', '123', 'J', 'feat.', ', ;', '—'])
      expect(normalizeName(junk), junk).toBeNull();
  });
});

describe('splitCreditNames', () => {
  test('lists with "&", "and", ";", "/", "+" and featuring markers are their names', () => {
    expect(splitCreditNames('John Smith & Jane Doe')).toEqual(['John Smith', 'Jane Doe']);
    expect(splitCreditNames('John Smith and Jane Doe')).toEqual(['John Smith', 'Jane Doe']);
    expect(splitCreditNames('A. Writer; B. Writer / C. Writer + D. Writer')).toEqual(['A. Writer', 'B. Writer', 'C. Writer', 'D. Writer']);
    expect(splitCreditNames('John Smith feat. Jane Doe')).toEqual(['John Smith', 'Jane Doe']);
    expect(splitCreditNames('SMITH, JOHN & DOE, JANE')).toEqual(['SMITH, JOHN', 'DOE, JANE']);
    expect(splitCreditNames('SMITH, JOHN & DOE, JANE').map(keyOf)).toEqual(['john smith', 'jane doe']);
    // "and" inside a word is not a separator.
    expect(splitCreditNames('Andrea Sandström')).toEqual(['Andrea Sandström']);
  });

  test('a comma list of full names splits; one comma between single words is "Last, First"', () => {
    expect(splitCreditNames('John Smith, Jane Doe, Max Martin')).toEqual(['John Smith', 'Jane Doe', 'Max Martin']);
    expect(splitCreditNames('Smith, John')).toEqual(['Smith, John']);
    expect(splitCreditNames('Smith, John Paul')).toEqual(['Smith, John Paul']);
  });

  test('parts that name nobody are left out', () => {
    expect(splitCreditNames('Unknown & Jane Doe')).toEqual(['Jane Doe']);
    expect(splitCreditNames('N/A')).toEqual([]);
    expect(splitCreditNames('')).toEqual([]);
    expect(splitCreditNames(' & ; / ')).toEqual([]);
  });
});

describe('normalizeIpi', () => {
  test('digits only, leading zeros kept (and restored to 11 digits); no digits or only zeros is none', () => {
    expect(normalizeIpi('00123456789')).toBe('00123456789');
    expect(normalizeIpi('123456789')).toBe('00123456789');
    expect(normalizeIpi('IPI 001-234-567-89')).toBe('00123456789');
    expect(normalizeIpi('1234567890123')).toBe('1234567890123');
    for (const none of [null, undefined, '', 'n/a', '00000000000']) expect(normalizeIpi(none)).toBeNull();
  });
});

describe('properties', () => {
  // Name-like text: the pieces credits are made of, in any order.
  const piece = fc.constantFrom('John', 'SMITH', 'Beyoncé', 'ÉLODIE', 'o’brien', "D'", 'Jean-Luc', 'ß', 'Ø', 'J.', ',', ', ', ' ', '  ', 'feat.', 'ft', 'Featuring', '&', 'and', '-', "'", '.', '(', ')', 'ǅ', 'İ', 'Σ', 'Mc', 'x');
  const nameLike = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
  const anyText = fc.oneof(nameLike, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }));

  test('the key is stable: normalising the display gives the same key, and the same display', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const name = normalizeName(raw);
        if (!name) return;
        expect(normalizeName(name.display)).toEqual(name);
      }),
      { numRuns: 3000 },
    );
  });

  test('case and diacritics never change the key', () => {
    fc.assert(
      fc.property(nameLike, (raw) => {
        const name = normalizeName(raw);
        const stripped = raw.normalize('NFD').replace(/\p{M}/gu, '');
        for (const variant of [raw.toLowerCase(), stripped]) {
          // Lower-casing can turn an ALL CAPS display into a lower one, never the key.
          expect(normalizeName(variant)?.key).toBe(name?.key);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('every name splitCreditNames returns is a name', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        for (const part of splitCreditNames(raw)) expect(normalizeName(part)).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
