// Compiles PS3.15 Table E.1-1 (src/core/profile/data/*.json) into src/core/profile/annex-e.generated.ts.
//
// Run: node scripts/gen-annex-e.mjs   (rerun after replacing the JSON with a newer edition; the
// output is deterministic, so a diff shows exactly which rows the new edition changed).
//
// What it cleans up (see src/core/profile/data/README.md, "Quirks"):
// - footnotes inside names ("Icon Image Sequence\n\n(see Note 11)") are cut off;
// - wildcard tags (50XX,XXXX), (60XX,3000), (60XX,4000) become group/element masks;
// - the private-attribute row ("(GGGG,EEEE) WHERE GGGG IS ODD") is a rule, not a tag: it is
//   emitted separately as ANNEX_E_PRIVATE_RULE;
// - the JSON's option column keys become ProfileOptions-style names.
// Keywords come from the dcmjs data dictionary (RETIRED_ prefix dropped), because the table only
// carries the attribute names; wildcard rows get the standard keyword by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs');
const dictionary = dcmjs.data.DicomMetaDictionary.dictionary;

const inputUrl = new URL(
  '../src/core/profile/data/confidentiality_profile_attributes.json',
  import.meta.url,
);
const outputUrl = new URL('../src/core/profile/annex-e.generated.ts', import.meta.url);

const OPTION_KEYS = {
  rtnSafePrivOpt: 'retainSafePrivate',
  rtnUIDsOpt: 'retainUIDs',
  rtnDevIdOpt: 'retainDeviceIdentity',
  rtnInstIdOpt: 'retainInstitutionIdentity',
  rtnPatCharsOpt: 'retainPatientCharacteristics',
  rtnLongFullDatesOpt: 'retainLongitudinalFull',
  rtnLongModifDatesOpt: 'retainLongitudinalModified',
  cleanDescOpt: 'cleanDescriptors',
  cleanStructContOpt: 'cleanStructuredContent',
  cleanGraphOpt: 'cleanGraphics',
};
const BASIC_ACTIONS = new Set(['X', 'Z', 'D', 'U', 'X/Z', 'X/D', 'Z/D', 'X/Z/D', 'X/Z/U*']);
const OPTION_ACTIONS = new Set(['K', 'C']);
const WILDCARD_KEYWORDS = {
  '(50XX,XXXX)': 'CurveData',
  '(60XX,3000)': 'OverlayData',
  '(60XX,4000)': 'OverlayComments',
};

const text = readFileSync(inputUrl, 'utf8');
const rows = JSON.parse(text);
const sha256 = createHash('sha256').update(text).digest('hex');

function fail(message) {
  console.error(`gen-annex-e: ${message}`);
  process.exit(1);
}

function cleanName(name) {
  // Footnote references ride on a second paragraph: "Icon Image Sequence\n\n(see Note 11)".
  return name.split('\n')[0].trim();
}

function hex(n, width) {
  return '0x' + n.toString(16).padStart(width, '0');
}

function parseTag(tagText) {
  const m = /^\(([0-9A-FX]{4}),([0-9A-FX]{4})\)$/.exec(tagText);
  if (!m) return undefined;
  const nibbles = (s) => {
    let value = 0;
    let mask = 0;
    for (const ch of s) {
      value <<= 4;
      mask <<= 4;
      if (ch !== 'X') {
        value |= parseInt(ch, 16);
        mask |= 0xf;
      }
    }
    return { value, mask };
  };
  const g = nibbles(m[1]);
  const e = nibbles(m[2]);
  if (g.mask === 0xffff && e.mask === 0xffff) return { tag: ((g.value << 16) | e.value) >>> 0 };
  return { pattern: { group: g.value, groupMask: g.mask, element: e.value, elementMask: e.mask } };
}

function optionsOf(row) {
  const out = {};
  for (const [jsonKey, name] of Object.entries(OPTION_KEYS)) {
    const v = row[jsonKey];
    if (v === undefined || v === '') continue;
    if (!OPTION_ACTIONS.has(v)) fail(`row ${row.tag}: option ${jsonKey} has unknown action ${v}`);
    out[name] = v;
  }
  return out;
}

function optionsLiteral(opts) {
  const parts = Object.entries(opts).map(([k, v]) => `${k}: '${v}'`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

const out = [];
let privateRule;
const seenTags = new Set();
const seenKeywords = new Set();
for (const row of rows) {
  if (!BASIC_ACTIONS.has(row.basicProfile))
    fail(`row ${row.tag}: unknown basic action ${row.basicProfile}`);
  const name = cleanName(row.name);
  if (/WHERE GGGG IS ODD/i.test(row.tag)) {
    privateRule = { name, basic: row.basicProfile, options: optionsOf(row) };
    continue;
  }
  const parsed = parseTag(row.tag);
  if (!parsed) fail(`row ${JSON.stringify(row.name)}: cannot parse tag ${row.tag}`);
  let keyword = WILDCARD_KEYWORDS[row.tag];
  if (!keyword) {
    const entry = dictionary[row.tag];
    if (!entry) fail(`row ${row.tag}: not in the dcmjs dictionary; add a keyword by hand`);
    keyword = entry.name.replace(/^RETIRED_/, '');
  }
  if (seenKeywords.has(keyword)) fail(`duplicate keyword ${keyword}`);
  seenKeywords.add(keyword);
  const key = row.tag;
  if (seenTags.has(key)) fail(`duplicate tag ${key}`);
  seenTags.add(key);
  out.push({
    ...parsed,
    keyword,
    name,
    inStandardIod: row.stdCompIOD === 'Y',
    basic: row.basicProfile,
    options: optionsOf(row),
  });
}
if (!privateRule) fail('the private-attribute row is missing');

// Sort by tag (patterns last) so that the output is stable whatever the JSON order.
out.sort(
  (a, b) =>
    (a.tag ?? 0x1_0000_0000 + a.pattern.group) - (b.tag ?? 0x1_0000_0000 + b.pattern.group) ||
    (a.pattern?.element ?? 0) - (b.pattern?.element ?? 0),
);

const lines = [];
lines.push(
  '// PS3.15 Table E.1-1 (DICOM 2024b) as typed rows. GENERATED by scripts/gen-annex-e.mjs from',
);
lines.push(
  '// data/confidentiality_profile_attributes.json (Innolitics dicom-standard, MIT; content NEMA',
);
lines.push(
  '// DICOM Standard, see data/README.md). Do not edit by hand: edit the generator and rerun it.',
);
lines.push('');
lines.push(
  '/** A Table E.1-1 action, as printed in the basic profile column (compound ones choose by IOD Type). */',
);
lines.push(
  "export type TableAction = 'X' | 'Z' | 'D' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*';",
);
lines.push('');
lines.push('/** The option columns of Table E.1-1, in the order the table prints them. */');
lines.push('export const OPTION_COLUMNS = [');
for (const name of Object.values(OPTION_KEYS)) lines.push(`  '${name}',`);
lines.push('] as const;');
lines.push('export type OptionColumn = (typeof OPTION_COLUMNS)[number];');
lines.push('');
lines.push(
  "/** An option column's action where it differs from the basic profile (absent = no change). */",
);
lines.push("export type OptionActions = Partial<Record<OptionColumn, 'K' | 'C'>>;");
lines.push('');
lines.push(
  '/** Matches a repeating-group tag: (tag >>> 16) & groupMask === group, and the same for the element. */',
);
lines.push('export interface TagPattern {');
lines.push('  group: number;');
lines.push('  groupMask: number;');
lines.push('  element: number;');
lines.push('  elementMask: number;');
lines.push('}');
lines.push('');
lines.push('export interface AnnexERow {');
lines.push('  /** Exactly one of tag and pattern is set. */');
lines.push('  tag?: number;');
lines.push('  pattern?: TagPattern;');
lines.push('  keyword: string;');
lines.push('  /** The attribute name as the table prints it, footnotes removed. */');
lines.push('  name: string;');
lines.push('  /** The table\'s "In Std. Comp. IOD" column. */');
lines.push('  inStandardIod: boolean;');
lines.push('  basic: TableAction;');
lines.push('  options: OptionActions;');
lines.push('}');
lines.push('');
lines.push(`export const ANNEX_E_EDITION = '2024b';`);
lines.push(`/** SHA-256 of the JSON this file was generated from. */`);
lines.push(`export const ANNEX_E_SOURCE_SHA256 = '${sha256}';`);
lines.push('');
lines.push(
  '/** The row "Private Attributes (GGGG,EEEE) where GGGG is odd": a rule, kept apart from the tag rows. */',
);
lines.push(
  `export const ANNEX_E_PRIVATE_RULE: { name: string; basic: TableAction; options: OptionActions } = { name: '${privateRule.name}', basic: '${privateRule.basic}', options: ${optionsLiteral(privateRule.options)} };`,
);
lines.push('');
lines.push(
  `/** ${out.length} rows: ${out.filter((r) => r.tag !== undefined).length} single tags, then ${out.filter((r) => r.pattern).length} repeating-group patterns. */`,
);
lines.push('export const ANNEX_E_ROWS: readonly AnnexERow[] = [');
for (const r of out) {
  const where =
    r.tag !== undefined
      ? `tag: ${hex(r.tag, 8)}`
      : `pattern: { group: ${hex(r.pattern.group, 4)}, groupMask: ${hex(r.pattern.groupMask, 4)}, element: ${hex(r.pattern.element, 4)}, elementMask: ${hex(r.pattern.elementMask, 4)} }`;
  lines.push(
    `  { ${where}, keyword: '${r.keyword}', name: ${JSON.stringify(r.name)}, inStandardIod: ${r.inStandardIod}, basic: '${r.basic}', options: ${optionsLiteral(r.options)} },`,
  );
}
lines.push('];');
lines.push('');
writeFileSync(outputUrl, lines.join('\n'));
console.log(
  `gen-annex-e: ${out.length} rows + private rule -> src/core/profile/annex-e.generated.ts (source sha256 ${sha256.slice(0, 12)}…)`,
);
