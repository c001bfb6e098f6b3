/**
 * Credit names as people and registries write them, reduced to one key per person: MusicBrainz
 * gives "Beyoncé Knowles", The MLC "KNOWLES, BEYONCE", a label sheet "Beyonce Knowles feat. Jay-Z".
 * The key (songwriter_aliases.key of kind `name`) is what records are matched on; the display is
 * what a scout reads, so it keeps the diacritics and only loses the registry's shouting.
 *
 * The rules, in the order they apply:
 * 1. A featured artist is not a co-writer of the name: "X feat. Y" is X (splitCreditNames gives
 *    both), and a stray "feat." / "ft." / "featuring" at either end goes.
 * 2. "Last, First" (exactly one comma) is "First Last".
 * 3. The key: compatibility-decomposed, diacritics and case dropped, letters without a
 *    decomposition folded (ø, ł, ß, æ, ...), punctuation dropped except apostrophes and hyphens
 *    inside a word ("O'Brien", "Jean-Luc"), spaces collapsed.
 * 4. No name: fewer than two letters, or a placeholder ("unknown", "various", "n/a", ...).
 * 5. The display of an ALL CAPS source is title-cased ("SMITH, JOHN" is "John Smith").
 * Normalising a display gives its own key back (the tests check it as a property).
 */

export interface NormalizedName {
  key: string;
  display: string;
}

/** Credits that name nobody: a registry's placeholders, in key form. */
const placeholders = new Set([
  'unknown',
  'unknown writer',
  'unknown composer',
  'unknown author',
  'unknown artist',
  'various',
  'various artists',
  'various writers',
  'n a',
  'na',
  'none',
  'null',
  'anonymous',
  'anon',
  'traditional',
  'trad',
  'public domain',
  'tba',
  'tbd',
]);

/** Letters NFKD leaves whole, as a person searching would type them (and Greek's word-final sigma). */
const folds: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', ħ: 'h', ı: 'i', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ς: 'σ' };

const word = String.raw`[\p{L}\p{M}\p{N}]`;
/** "feat", "feat.", "ft", "ft.", "featuring" as a word of its own. */
const featuring = new RegExp(String.raw`(?<!${word})(?:featuring|feat|ft)\.?(?!${word})`, 'giu');
/** Between names of a list: "&", ";", "/", "+", the word "and", and a featuring marker. */
const listSeparator = new RegExp(String.raw`[&;/+]|(?<!${word})and(?!${word})|${featuring.source}`, 'giu');
/** What may be trimmed off either end of a name. */
const edgeSeparators = /^[\s,;:&/+\-\u2010-\u2015]+|[\s,;:&/+\-\u2010-\u2015]+$/gu;

export function normalizeName(raw: string): NormalizedName | null {
  const core = swapLastFirst(trimEdges(withoutFeatured(collapseSpaces(raw.normalize('NFC')))));
  if (!core) return null;
  const key = keyOf(core);
  if (!isName(key)) return null;
  return { key, display: isAllCaps(core) ? titleCase(core).normalize('NFC') : core };
}

/**
 * The names in one credit string: "A & B", "A; B", "A / B", "A and B", "A feat. B", and a comma
 * list when every part is two words or more ("John Smith, Jane Doe"; one comma between single
 * words is "Last, First"). Only parts that are names (normalizeName accepts them) are returned.
 */
export function splitCreditNames(raw: string): string[] {
  return raw
    .split(listSeparator)
    .flatMap(splitCommaList)
    .map((part) => trimEdges(collapseSpaces(part)))
    .filter((part) => normalizeName(part) !== null);
}

/**
 * An IPI name number as a key: its digits, padded to the standard's 11 (a spreadsheet that read
 * it as a number dropped the leading zeros; they are never stripped here). Null when it has no
 * digits or only zeros.
 */
export function normalizeIpi(raw: string | null | undefined): string | null {
  const digits = (raw ?? '').replace(/\D/g, '');
  if (!/[1-9]/.test(digits)) return null;
  return digits.length < 11 ? digits.padStart(11, '0') : digits;
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function trimEdges(text: string): string {
  return text.replace(edgeSeparators, '');
}

/** The name before any featuring marker (after one when the credit starts with it). */
function withoutFeatured(text: string): string {
  return (
    text
      .split(featuring)
      .map(trimEdges)
      .find((part) => part.length > 0) ?? ''
  );
}

function swapLastFirst(text: string): string {
  const parts = text.split(',');
  if (parts.length !== 2) return text;
  const [last, first] = parts.map(trimEdges) as [string, string];
  return last && first ? `${first} ${last}` : trimEdges(last || first);
}

function splitCommaList(part: string): string[] {
  const pieces = part.split(',').map((piece) => collapseSpaces(piece));
  const isList = pieces.length > 1 && pieces.every((piece) => piece.split(' ').length >= 2);
  return isList ? pieces : [part];
}

function keyOf(text: string): string {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øłđðħıßæœþς]/g, (letter) => folds[letter]!)
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-');
  return collapseSpaces(
    plain
      .replace(/[^\p{L}\p{N}'-]+/gu, ' ')
      // Apostrophes and hyphens only inside a word, one at a time.
      .replace(new RegExp(String.raw`(?<!${word})['-]+|['-]+(?!${word})`, 'gu'), ' ')
      .replace(/['-]{2,}/g, (run) => run[0]!),
  );
}

function isName(key: string): boolean {
  return (key.match(/\p{L}/gu)?.length ?? 0) >= 2 && !placeholders.has(key);
}

function isAllCaps(text: string): boolean {
  return text === text.toUpperCase() && text !== text.toLowerCase();
}

/** "O'BRIEN-MCKAY, J.R." -> "J.R. O'Brien-McKay". */
function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s\-.(/])(\p{L})/gu, (_, before: string, letter: string) => before + capital(letter))
    .replace(/(^|[\s\-])(\p{L})'(\p{L})/gu, (_, before: string, initial: string, letter: string) => `${before}${initial}'${capital(letter)}`)
    .replace(/(^|[\s\-])Mc(\p{L})/gu, (_, before: string, letter: string) => `${before}Mc${capital(letter)}`);
}

/** The capital of one letter; a letter whose capital is two ("ß" -> "SS") stays as it is. */
function capital(letter: string): string {
  const upper = letter.toUpperCase();
  return [...upper].length === 1 ? upper : letter;
}
