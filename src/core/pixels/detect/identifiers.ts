// The patient's own values in the forms devices print them, compared after folding OCR's usual confusions.

/** What kind of identifier a variant came from, for the reason string (never the value). */
export type IdentifierKind = 'name' | 'date' | 'id';

export interface IdentifierVariant {
  /** Folded (see foldOcr), no separators. */
  folded: string;
  kind: IdentifierKind;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * Upper case, separators dropped, and the glyph pairs OCR mixes up folded to one character
 * (O/D/Q→0, I/L/|/!→1, Z→2, S→5, G→6, T→7, B→8, N→M... only the shape matters).
 */
export function foldOcr(text: string): string {
  const map: Record<string, string> = {
    O: '0',
    D: '0',
    Q: '0',
    U: '0',
    I: '1',
    L: '1',
    '|': '1',
    '!': '1',
    J: '1',
    Z: '2',
    S: '5',
    G: '6',
    T: '7',
    B: '8',
    E: '8',
    N: 'M',
    H: 'M',
    W: 'V',
    Y: 'V',
    '@': '0',
    '&': '8',
    A: '4',
  };
  let out = '';
  for (const ch of text.toUpperCase().replace(/[\s\-–—./,:;^_'"`()[\]{}]/g, ''))
    out += map[ch] ?? ch;
  return out;
}

/** Every variant of the patient's identifiers worth matching a word (or a run of words) against. */
export function identifierVariants(identifiers: readonly string[]): IdentifierVariant[] {
  const seen = new Map<string, IdentifierKind>();
  const add = (text: string, kind: IdentifierKind): void => {
    const folded = foldOcr(text);
    if (folded.length >= 2 && !seen.has(folded)) seen.set(folded, kind);
  };
  for (const raw of identifiers) {
    const value = raw.trim().toUpperCase();
    if (value === '') continue;
    if (/^\d{8}$/.test(value) && isDate(value)) {
      for (const v of dateForms(value)) add(v, 'date');
    } else if (value.includes('^') || (/^[A-Z][A-Z' -]+$/.test(value) && !/\d/.test(value))) {
      // A person name: each part alone (any order is then covered) and the family+given pair.
      const parts = value.split(/[\^ ,]+/).filter((p) => p.length >= 2);
      for (const p of parts) add(p, 'name');
      if (parts.length >= 2) {
        add(parts[0] + parts[1], 'name');
        add(parts[1] + parts[0], 'name');
      }
    } else {
      add(value, 'id');
      const noZeros = value.replace(/^0+/, '');
      if (noZeros.length >= 3) add(noZeros, 'id');
      // The digits alone of an MRN like 'MRN-12-345678', and its last group.
      const digits = value.replace(/\D/g, '');
      if (digits.length >= 5) add(digits, 'id');
      const groups = value.split(/[-/ .]/).filter((g) => g.length >= 5);
      for (const g of groups) add(g, 'id');
    }
  }
  return [...seen].map(([folded, kind]) => ({ folded, kind }));
}

function isDate(da: string): boolean {
  const m = Number(da.slice(4, 6));
  const d = Number(da.slice(6, 8));
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** YYYYMMDD as YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY, MM/DD/YYYY, DD-MMM-YYYY, DDMMMYYYY, DD/MM/YY ... (folding drops separators). */
export function dateForms(da: string): string[] {
  const [y, m, d] = [da.slice(0, 4), da.slice(4, 6), da.slice(6, 8)];
  const mon = MONTHS[Number(m) - 1];
  const yy = y.slice(2);
  return [
    da,
    `${d}${m}${y}`,
    `${m}${d}${y}`,
    `${d}${mon}${y}`,
    `${mon}${d}${y}`,
    `${d}${m}${yy}`,
    `${m}${d}${yy}`,
    `${d}${mon}${yy}`,
  ];
}

/** Edit distance allowed for a folded string of this length: none below 5, then 1 per 6 characters. */
export function allowedEdits(length: number): number {
  return length < 5 ? 0 : Math.max(1, Math.floor(length / 6));
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The kind of identifier a folded word matches (exactly or within allowedEdits), or undefined. */
export function matchIdentifier(
  folded: string,
  variants: readonly IdentifierVariant[],
): IdentifierKind | undefined {
  if (folded.length < 2) return undefined;
  for (const v of variants) {
    if (v.folded === folded) return v.kind;
    // Devices cut long names to fit a field: a 5+ character start of a name part counts.
    if (v.kind === 'name' && folded.length >= 5 && v.folded.startsWith(folded)) return v.kind;
    const max = allowedEdits(Math.min(v.folded.length, folded.length));
    if (max > 0 && editDistance(folded, v.folded, max) <= max) return v.kind;
  }
  return undefined;
}
