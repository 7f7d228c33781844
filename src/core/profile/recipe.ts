// The versioned recipe document an organizer writes once and sends to every site: types, defaults, validation, hash.
import type { VR } from '../dicom/types';
import { resolveAttributeName } from './compile-profile';
import {
  knownLicence,
  LICENCE_ID,
  README_PLACEHOLDERS,
  readmePlaceholders,
} from './dataset-licences';
import { NEVER_SAFE_CREATORS } from './safe-private';
import type { AllowListExtensions, ProfileOptions } from './types';

export const RECIPE_SCHEMA = 'cleanroom-recipe';
export const RECIPE_VERSION = 1;

/** A value-level decision taken after review, for one element path (and optionally one value). */
export interface Override {
  /** 'RequestAttributesSequence > RequestedProcedureDescription', or '(0009,xx10) "CREATOR"'. */
  path: string;
  /** The exact value this override is for; omitted = every value at the path. */
  value?: string;
  action: 'accept' | 'replace' | 'blank' | 'remove';
  /** Required with 'replace', not allowed otherwise. */
  replacement?: string;
}

export interface Recipe {
  schema: 'cleanroom-recipe';
  version: 1;
  name: string;
  description?: string;
  selection: {
    /** An inventory filter, e.g. 'Modality == "CT" and SliceThickness <= 1.0' (parsed by inventory). */
    rule?: string;
    level?: 'instance' | 'series' | 'study';
  };
  expectations?: {
    sliceThicknessMax?: number;
    bodyParts?: string[];
    contrast?: 'with' | 'without' | 'any';
    sopClasses?: string[];
    modalities?: string[];
  };
  deid: {
    options: ProfileOptions;
    allowList?: AllowListExtensions;
    /** 'SITE-{n:6}': literal text plus one counter placeholder {n} or {n:width}. */
    pseudonymPattern: string;
    dateShiftDays: { min: number; max: number };
    overrides?: Override[];
  };
  pixels?: {
    mode: 'redact-all-text-in-high-risk' | 'redact-phi-only' | 'off';
    safeTokens?: Record<string, string[]>;
    /** CTP DicomPixelAnonymizer script text (signatures and regions). */
    templates?: string;
  };
  package: {
    name: string;
    /** '2GiB', '700MB', ... (see parseVolumeSize). */
    volumeSize?: string;
    compression?: 'store' | 'deflate';
    dicomdir?: boolean;
    layout?: 'pseudonym/study/series';
  };
  dataset?: DatasetSection;
}

/** The dataset's licence: an SPDX id (the Creative Commons ones are known by name) and, for others, its text. */
export interface DatasetLicence {
  id: string;
  text?: string;
}

/** What every package says about the dataset: licence, readme, and the figures the organizer expects. */
export interface DatasetSection {
  /** A bare string is the form recipes had before licences were objects: read it as the id (or the text). */
  licence?: DatasetLicence | string;
  /** README.md template with {{placeholders}} (see README_PLACEHOLDERS in dataset-licences.ts). */
  readme?: string;
  /** Counts the organizer asked for, shown beside the actual ones in the dataset report. */
  expected?: {
    patients?: number;
    studies?: number;
    series?: number;
    instances?: number;
    byModality?: Record<string, number>;
    byLabel?: Record<string, number>;
  };
  /** A patient-level train/validation/test split written into the package as split.csv. */
  split?: { train: number; validation: number; test: number; seed?: number };
}

export interface RecipeError {
  /** Dotted path of the offending key, e.g. 'deid.options.retainUIDs' or 'deid.overrides[2].action'. */
  path: string;
  message: string;
}

export type RecipeValidation = { ok: true; recipe: Recipe } | { ok: false; errors: RecipeError[] };

export function defaultRecipe(): Recipe {
  return {
    schema: RECIPE_SCHEMA,
    version: RECIPE_VERSION,
    name: 'Research dataset',
    description:
      'PS3.15 Basic Profile with research options; allow-list rebuild; pixel text redaction.',
    selection: { level: 'series' },
    deid: {
      options: {
        retainSafePrivate: false,
        retainUIDs: false,
        retainDeviceIdentity: false,
        retainInstitutionIdentity: false,
        retainPatientCharacteristics: true,
        retainLongitudinal: 'modified',
        cleanDescriptors: true,
        cleanStructuredContent: false,
        cleanGraphics: false,
      },
      pseudonymPattern: 'SITE-{n:6}',
      dateShiftDays: { min: -730, max: -1 },
    },
    pixels: { mode: 'redact-all-text-in-high-risk' },
    package: {
      name: 'cleanroom-dataset',
      volumeSize: '2GiB',
      compression: 'store',
      dicomdir: false,
      layout: 'pseudonym/study/series',
    },
  };
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** '2GiB' → 2147483648; '700MB' → 700000000; a bare number is bytes. Throws RangeError if malformed. */
export function parseVolumeSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$/i.exec(text);
  if (!m)
    throw new RangeError(
      `volume size "${text}" is not a number followed by B, KB, MB, GB, TB, KiB, MiB, GiB or TiB`,
    );
  const bytes = Math.floor(parseFloat(m[1]) * UNITS[(m[2] ?? 'B').toUpperCase()]);
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new RangeError(`volume size "${text}" must be more than 0 bytes`);
  return bytes;
}

/** JSON with object keys sorted at every level and no whitespace, so equal recipes hash equal. */
export function canonicalRecipeJson(recipe: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const child = (v as Record<string, unknown>)[k];
        if (child !== undefined) out[k] = canon(child);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(canon(recipe));
}

/** SHA-256 (hex) of the canonical JSON of a recipe, given as its text or as an object. */
export async function recipeHash(recipeText: string | Recipe): Promise<string> {
  const value: unknown = typeof recipeText === 'string' ? JSON.parse(recipeText) : recipeText;
  const bytes = new TextEncoder().encode(canonicalRecipeJson(value));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- validation -------------------------------------------------------------------------------

const VRS: readonly VR[] = [
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
];
const OPTION_BOOLEANS = [
  'retainSafePrivate',
  'retainUIDs',
  'retainDeviceIdentity',
  'retainInstitutionIdentity',
  'retainPatientCharacteristics',
  'cleanDescriptors',
  'cleanStructuredContent',
  'cleanGraphics',
] as const;
const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;
const PLACEHOLDER = /\{n(?::(\d{1,2}))?\}/g;
const PATH_SEGMENT =
  /^(?:[A-Za-z][A-Za-z0-9]*|\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4}|[xX]{2}[0-9A-Fa-f]{2})\)(?:\s+"([^"]+)")?)$/;

type Obj = Record<string, unknown>;

class Checker {
  errors: RecipeError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  object(
    v: unknown,
    path: string,
    allowed: readonly string[],
    required: readonly string[] = [],
  ): Obj | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.fail(path, `must be an object, found ${describe(v)}`);
      return undefined;
    }
    const o = v as Obj;
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k))
        this.fail(join(path, k), `unknown key "${k}"; allowed here: ${allowed.join(', ')}`);
    }
    for (const k of required) if (o[k] === undefined) this.fail(join(path, k), 'is required');
    return o;
  }

  string(v: unknown, path: string, opts: { nonEmpty?: boolean; max?: number } = {}): v is string {
    if (v === undefined) return false;
    if (typeof v !== 'string') {
      this.fail(path, `must be a string, found ${describe(v)}`);
      return false;
    }
    if (opts.nonEmpty && v.trim() === '') {
      this.fail(path, 'must not be empty');
      return false;
    }
    if (opts.max !== undefined && v.length > opts.max) {
      this.fail(path, `must be at most ${opts.max} characters, found ${v.length}`);
      return false;
    }
    return true;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): void {
    if (v === undefined) return;
    if (typeof v !== 'string' || !values.includes(v as T)) {
      this.fail(
        path,
        `must be one of ${values.map((x) => `"${x}"`).join(', ')}, found ${describe(v)}`,
      );
    }
  }

  boolean(v: unknown, path: string): void {
    if (v !== undefined && typeof v !== 'boolean')
      this.fail(path, `must be true or false, found ${describe(v)}`);
  }

  stringArray(v: unknown, path: string, each?: (s: string, p: string) => void): void {
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      this.fail(path, `must be an array of strings, found ${describe(v)}`);
      return;
    }
    v.forEach((s, i) => {
      const p = `${path}[${i}]`;
      if (this.string(s, p, { nonEmpty: true }) && each) each(s, p);
    });
  }

  integer(v: unknown, path: string): v is number {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.fail(path, `must be a whole number, found ${describe(v)}`);
      return false;
    }
    return true;
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string')
    return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function checkOptions(c: Checker, v: unknown, path: string): void {
  const o = c.object(
    v,
    path,
    [...OPTION_BOOLEANS, 'retainLongitudinal'],
    [...OPTION_BOOLEANS, 'retainLongitudinal'],
  );
  if (!o) return;
  for (const k of OPTION_BOOLEANS) if (o[k] !== undefined) c.boolean(o[k], join(path, k));
  c.oneOf(o.retainLongitudinal, join(path, 'retainLongitudinal'), [
    'off',
    'full',
    'modified',
  ] as const);
}

function checkAllowList(c: Checker, v: unknown, path: string): void {
  const o = c.object(v, path, ['add', 'remove', 'safePrivate']);
  if (!o) return;
  const known = (s: string, p: string) => {
    const tag = resolveAttributeName(s);
    if (tag === undefined)
      c.fail(p, `"${s}" is neither a DICOM keyword nor a tag written (gggg,eeee)`);
    else if (p.includes('.add[') && ((tag >>> 16) & 1) === 1) {
      c.fail(p, `"${s}" is a private tag; list private attributes under allowList.safePrivate`);
    }
  };
  c.stringArray(o.add, join(path, 'add'), known);
  c.stringArray(o.remove, join(path, 'remove'), known);
  if (o.safePrivate === undefined) return;
  if (!Array.isArray(o.safePrivate)) {
    c.fail(join(path, 'safePrivate'), `must be an array, found ${describe(o.safePrivate)}`);
    return;
  }
  o.safePrivate.forEach((e, i) => {
    const p = `${join(path, 'safePrivate')}[${i}]`;
    const entry = c.object(e, p, ['group', 'creator', 'element', 'vr'], ['creator', 'element']);
    if (!entry) return;
    if (c.string(entry.creator, join(p, 'creator'), { nonEmpty: true, max: 64 })) {
      if (NEVER_SAFE_CREATORS.includes(entry.creator.trim())) {
        c.fail(
          join(p, 'creator'),
          `"${entry.creator.trim()}" is never safe: its blocks hold free text`,
        );
      }
    }
    if (entry.element !== undefined && c.integer(entry.element, join(p, 'element'))) {
      if (entry.element < 0 || entry.element > 0xff) {
        c.fail(
          join(p, 'element'),
          `must be the element's low byte, 0-255 (0x00-0xFF), found ${entry.element}`,
        );
      }
    }
    if (entry.group !== undefined && c.integer(entry.group, join(p, 'group'))) {
      if (entry.group % 2 === 0 || entry.group < 0x0009 || entry.group > 0xfffd) {
        c.fail(
          join(p, 'group'),
          `must be an odd private group between 0x0009 and 0xFFFD, found ${entry.group}`,
        );
      }
    }
    c.oneOf(entry.vr, join(p, 'vr'), VRS);
  });
}

function checkPseudonymPattern(c: Checker, v: unknown, path: string): void {
  if (!c.string(v, path, { nonEmpty: true })) return;
  const placeholders = [...v.matchAll(PLACEHOLDER)];
  if (placeholders.length !== 1) {
    c.fail(
      path,
      `must hold exactly one counter placeholder {n} or {n:width}, found ${placeholders.length}`,
    );
    return;
  }
  const width = placeholders[0][1] === undefined ? 1 : parseInt(placeholders[0][1], 10);
  if (width < 1 || width > 12) c.fail(path, `counter width must be 1-12 digits, found ${width}`);
  const literal = v.replace(PLACEHOLDER, '');
  if (!/^[A-Za-z0-9_.\- ]*$/.test(literal)) {
    c.fail(
      path,
      'literal text may use only letters, digits, space, "-", "_" and "." (it becomes PatientID and PatientName)',
    );
  }
  // PatientID is LO: 64 characters at most once the counter (up to 12 digits) is written.
  if (literal.length + 12 > 64) c.fail(path, 'is too long: a pseudonym must fit in 64 characters');
}

function checkOverride(c: Checker, v: unknown, p: string): void {
  const o = c.object(v, p, ['path', 'value', 'action', 'replacement'], ['path', 'action']);
  if (!o) return;
  if (c.string(o.path, join(p, 'path'), { nonEmpty: true })) {
    o.path.split('>').forEach((segment, i) => {
      const s = segment.trim();
      const m = PATH_SEGMENT.exec(s);
      if (!m) {
        c.fail(
          join(p, 'path'),
          `segment ${i + 1} "${s}" is not a keyword, (gggg,eeee) or (gggg,xxee) "CREATOR"`,
        );
      } else if (m[1] === undefined && resolveAttributeName(s) === undefined) {
        c.fail(join(p, 'path'), `segment ${i + 1} "${s}" is not a DICOM keyword`);
      } else if (m[1] !== undefined && (parseInt(m[1], 16) & 1) === 1 && m[3] === undefined) {
        c.fail(
          join(p, 'path'),
          `segment ${i + 1} "${s}" is private: write it (gggg,xxee) "CREATOR"`,
        );
      }
    });
  }
  c.string(o.value, join(p, 'value'));
  c.oneOf(o.action, join(p, 'action'), ['accept', 'replace', 'blank', 'remove'] as const);
  if (o.action === 'replace') {
    if (o.replacement === undefined)
      c.fail(join(p, 'replacement'), 'is required when action is "replace"');
    else c.string(o.replacement, join(p, 'replacement'));
  } else if (o.replacement !== undefined) {
    c.fail(join(p, 'replacement'), `is only used with action "replace", not "${String(o.action)}"`);
  }
}

function checkDeid(c: Checker, v: unknown, path: string): void {
  const o = c.object(
    v,
    path,
    ['options', 'allowList', 'pseudonymPattern', 'dateShiftDays', 'overrides'],
    ['options', 'pseudonymPattern', 'dateShiftDays'],
  );
  if (!o) return;
  if (o.options !== undefined) checkOptions(c, o.options, join(path, 'options'));
  if (o.allowList !== undefined) checkAllowList(c, o.allowList, join(path, 'allowList'));
  checkPseudonymPattern(c, o.pseudonymPattern, join(path, 'pseudonymPattern'));
  if (o.dateShiftDays !== undefined) {
    const p = join(path, 'dateShiftDays');
    const d = c.object(o.dateShiftDays, p, ['min', 'max'], ['min', 'max']);
    if (d) {
      const okMin = d.min !== undefined && c.integer(d.min, join(p, 'min'));
      const okMax = d.max !== undefined && c.integer(d.max, join(p, 'max'));
      for (const [k, ok] of [
        ['min', okMin],
        ['max', okMax],
      ] as const) {
        if (ok && Math.abs(d[k] as number) > 36500)
          c.fail(join(p, k), `must be within ±36500 days, found ${String(d[k])}`);
      }
      if (okMin && okMax && (d.min as number) > (d.max as number)) {
        c.fail(p, `min (${String(d.min)}) must not be greater than max (${String(d.max)})`);
      }
    }
  }
  if (o.overrides !== undefined) {
    const p = join(path, 'overrides');
    if (!Array.isArray(o.overrides)) c.fail(p, `must be an array, found ${describe(o.overrides)}`);
    else o.overrides.forEach((ov, i) => checkOverride(c, ov, `${p}[${i}]`));
  }
}

function checkCount(c: Checker, v: unknown, path: string): void {
  if (v !== undefined && c.integer(v, path) && v < 0) c.fail(path, `must be 0 or more, found ${v}`);
}

function checkDataset(c: Checker, v: unknown): void {
  const d = c.object(v, 'dataset', ['licence', 'readme', 'expected', 'split']);
  if (!d) return;
  if (typeof d.licence === 'string') {
    c.string(d.licence, 'dataset.licence', { nonEmpty: true });
  } else if (d.licence !== undefined) {
    const l = c.object(d.licence, 'dataset.licence', ['id', 'text'], ['id']);
    if (l && c.string(l.id, 'dataset.licence.id', { nonEmpty: true, max: 64 })) {
      if (!LICENCE_ID.test(l.id)) {
        c.fail(
          'dataset.licence.id',
          'must be an SPDX identifier such as "CC-BY-4.0" (letters, digits, ".", "-", "+")',
        );
      } else if (!knownLicence(l.id) && (typeof l.text !== 'string' || l.text.trim() === '')) {
        c.fail(
          'dataset.licence.text',
          `is required for "${l.id}": Cleanroom knows only the Creative Commons licences (CC0-1.0, CC-BY-4.0, …) by name`,
        );
      }
    }
    if (l) c.string(l.text, 'dataset.licence.text');
  }
  if (c.string(d.readme, 'dataset.readme')) {
    const allowed: readonly string[] = README_PLACEHOLDERS;
    for (const name of readmePlaceholders(d.readme)) {
      if (!allowed.includes(name))
        c.fail(
          'dataset.readme',
          `unknown placeholder {{${name}}}; allowed: ${README_PLACEHOLDERS.join(', ')}`,
        );
    }
  }
  if (d.split !== undefined) {
    const sp = c.object(
      d.split,
      'dataset.split',
      ['train', 'validation', 'test', 'seed'],
      ['train', 'validation', 'test'],
    );
    if (sp) {
      let total = 0;
      for (const k of ['train', 'validation', 'test'] as const) {
        const n = sp[k];
        if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
          c.fail(`dataset.split.${k}`, 'must be a share of patients, 0 or more (e.g. 0.7)');
        else total += n;
      }
      if (total <= 0) c.fail('dataset.split', 'the three shares must add up to more than 0');
      if (sp.seed !== undefined && !Number.isInteger(sp.seed))
        c.fail('dataset.split.seed', 'must be a whole number');
    }
  }
  if (d.expected !== undefined) {
    const e = c.object(d.expected, 'dataset.expected', [
      'patients',
      'studies',
      'series',
      'instances',
      'byModality',
      'byLabel',
    ]);
    if (!e) return;
    for (const k of ['patients', 'studies', 'series', 'instances'] as const)
      checkCount(c, e[k], `dataset.expected.${k}`);
    for (const k of ['byModality', 'byLabel'] as const) {
      if (e[k] === undefined) continue;
      const m = c.object(e[k], `dataset.expected.${k}`, Object.keys(e[k] ?? {}));
      if (m)
        for (const [name, n] of Object.entries(m))
          checkCount(c, n, `dataset.expected.${k}.${name}`);
    }
  }
}

/** Checks a parsed recipe document; every error names the key (path) and says what is wrong. */
export function validateRecipe(json: unknown): RecipeValidation {
  const c = new Checker();
  const r = c.object(
    json,
    '',
    [
      'schema',
      'version',
      'name',
      'description',
      'selection',
      'expectations',
      'deid',
      'pixels',
      'package',
      'dataset',
    ],
    ['schema', 'version', 'name', 'selection', 'deid', 'package'],
  );
  if (!r) return { ok: false, errors: c.errors };

  if (r.schema !== undefined && r.schema !== RECIPE_SCHEMA) {
    c.fail('schema', `must be "${RECIPE_SCHEMA}", found ${describe(r.schema)}`);
  }
  if (r.version !== undefined && r.version !== RECIPE_VERSION) {
    c.fail(
      'version',
      `must be ${RECIPE_VERSION} (the version this build reads), found ${describe(r.version)}`,
    );
  }
  c.string(r.name, 'name', { nonEmpty: true, max: 200 });
  c.string(r.description, 'description');

  if (r.selection !== undefined) {
    const s = c.object(r.selection, 'selection', ['rule', 'level']);
    if (s) {
      c.string(s.rule, 'selection.rule');
      c.oneOf(s.level, 'selection.level', ['instance', 'series', 'study'] as const);
    }
  }

  if (r.expectations !== undefined) {
    const e = c.object(r.expectations, 'expectations', [
      'sliceThicknessMax',
      'bodyParts',
      'contrast',
      'sopClasses',
      'modalities',
    ]);
    if (e) {
      if (
        e.sliceThicknessMax !== undefined &&
        (typeof e.sliceThicknessMax !== 'number' || !(e.sliceThicknessMax > 0))
      ) {
        c.fail(
          'expectations.sliceThicknessMax',
          `must be a number of millimetres above 0, found ${describe(e.sliceThicknessMax)}`,
        );
      }
      c.stringArray(e.bodyParts, 'expectations.bodyParts');
      c.oneOf(e.contrast, 'expectations.contrast', ['with', 'without', 'any'] as const);
      c.stringArray(e.sopClasses, 'expectations.sopClasses', (s, p) => {
        if (!UID.test(s) || s.length > 64)
          c.fail(p, `${JSON.stringify(s)} is not a UID (digits and dots, at most 64 characters)`);
      });
      c.stringArray(e.modalities, 'expectations.modalities', (s, p) => {
        if (!/^[A-Z0-9_]{1,16}$/.test(s))
          c.fail(p, `${JSON.stringify(s)} is not a modality code (upper case, e.g. "CT")`);
      });
    }
  }

  if (r.deid !== undefined) checkDeid(c, r.deid, 'deid');

  if (r.pixels !== undefined) {
    const p = c.object(r.pixels, 'pixels', ['mode', 'safeTokens', 'templates'], ['mode']);
    if (p) {
      c.oneOf(p.mode, 'pixels.mode', [
        'redact-all-text-in-high-risk',
        'redact-phi-only',
        'off',
      ] as const);
      if (p.safeTokens !== undefined) {
        const t = c.object(p.safeTokens, 'pixels.safeTokens', Object.keys(p.safeTokens ?? {}));
        if (t)
          for (const [k, list] of Object.entries(t)) c.stringArray(list, `pixels.safeTokens.${k}`);
      }
      c.string(p.templates, 'pixels.templates');
    }
  }

  if (r.package !== undefined) {
    const p = c.object(
      r.package,
      'package',
      ['name', 'volumeSize', 'compression', 'dicomdir', 'layout'],
      ['name'],
    );
    if (p) {
      if (
        c.string(p.name, 'package.name', { nonEmpty: true, max: 100 }) &&
        !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p.name)
      ) {
        c.fail(
          'package.name',
          'may use only letters, digits, ".", "_" and "-" (it names the zip files), starting with a letter or digit',
        );
      }
      if (c.string(p.volumeSize, 'package.volumeSize', { nonEmpty: true })) {
        try {
          const bytes = parseVolumeSize(p.volumeSize);
          if (bytes < 2 ** 20)
            c.fail('package.volumeSize', `must be at least 1MiB, found ${bytes} bytes`);
        } catch (err) {
          c.fail('package.volumeSize', (err as Error).message);
        }
      }
      c.oneOf(p.compression, 'package.compression', ['store', 'deflate'] as const);
      c.boolean(p.dicomdir, 'package.dicomdir');
      c.oneOf(p.layout, 'package.layout', ['pseudonym/study/series'] as const);
    }
  }

  if (r.dataset !== undefined) checkDataset(c, r.dataset);

  return c.errors.length === 0
    ? { ok: true, recipe: json as Recipe }
    : { ok: false, errors: c.errors };
}
