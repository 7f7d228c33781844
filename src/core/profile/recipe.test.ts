// The recipe format: the default is valid, each kind of error is reported at its path, the hash is canonical.
import { describe, expect, it } from 'vitest';
import {
  canonicalRecipeJson,
  defaultRecipe,
  parseVolumeSize,
  recipeHash,
  validateRecipe,
  type Recipe,
  type RecipeError,
} from './recipe';
import schema from './recipe.schema.json';

function errorsOf(mutate: (r: Record<string, unknown> & Recipe) => void): RecipeError[] {
  const r = structuredClone(defaultRecipe()) as Record<string, unknown> & Recipe;
  mutate(r);
  const v = validateRecipe(r);
  return v.ok ? [] : v.errors;
}

describe('defaultRecipe', () => {
  it('is valid', () => {
    expect(validateRecipe(defaultRecipe())).toEqual({ ok: true, recipe: defaultRecipe() });
  });
});

describe('validateRecipe errors (one per kind, each with its path)', () => {
  it('not an object', () => {
    expect(validateRecipe([])).toEqual({
      ok: false,
      errors: [{ path: '', message: 'must be an object, found an array' }],
    });
  });

  it('missing required key', () => {
    expect(errorsOf((r) => delete (r as Partial<Recipe>).package)).toEqual([
      { path: 'package', message: 'is required' },
    ]);
  });

  it('unknown key (a typo)', () => {
    expect(
      errorsOf((r) => ((r.deid as unknown as Record<string, unknown>).pseudonymPatern = 'X-{n}')),
    ).toEqual([
      {
        path: 'deid.pseudonymPatern',
        message:
          'unknown key "pseudonymPatern"; allowed here: options, allowList, pseudonymPattern, dateShiftDays, overrides',
      },
    ]);
  });

  it('wrong schema and unsupported version', () => {
    expect(errorsOf((r) => ((r as Record<string, unknown>).schema = 'other'))).toEqual([
      { path: 'schema', message: 'must be "cleanroom-recipe", found "other"' },
    ]);
    expect(errorsOf((r) => ((r as Record<string, unknown>).version = 2))).toEqual([
      { path: 'version', message: 'must be 1 (the version this build reads), found number 2' },
    ]);
  });

  it('wrong type: an option that is not a boolean', () => {
    expect(
      errorsOf((r) => ((r.deid.options as unknown as Record<string, unknown>).retainUIDs = 'yes')),
    ).toEqual([{ path: 'deid.options.retainUIDs', message: 'must be true or false, found "yes"' }]);
  });

  it('missing option', () => {
    expect(
      errorsOf((r) => delete (r.deid.options as Partial<Recipe['deid']['options']>).cleanGraphics),
    ).toEqual([{ path: 'deid.options.cleanGraphics', message: 'is required' }]);
  });

  it('value outside an enumeration', () => {
    expect(
      errorsOf(
        (r) =>
          ((r.deid.options as unknown as Record<string, unknown>).retainLongitudinal = 'shifted'),
      ),
    ).toEqual([
      {
        path: 'deid.options.retainLongitudinal',
        message: 'must be one of "off", "full", "modified", found "shifted"',
      },
    ]);
  });

  it('unknown keyword in allowList.add, private tag in add', () => {
    expect(
      errorsOf((r) => (r.deid.allowList = { add: ['KVP', 'SliceThicknes', '(0019,1010)'] })),
    ).toEqual([
      {
        path: 'deid.allowList.add[1]',
        message: '"SliceThicknes" is neither a DICOM keyword nor a tag written (gggg,eeee)',
      },
      {
        path: 'deid.allowList.add[2]',
        message:
          '"(0019,1010)" is a private tag; list private attributes under allowList.safePrivate',
      },
    ]);
  });

  it('safePrivate entry: element out of range, even group, never-safe creator', () => {
    expect(
      errorsOf(
        (r) =>
          (r.deid.allowList = {
            safePrivate: [{ creator: 'SIEMENS CSA HEADER', element: 0x1010, group: 0x0028 }],
          }),
      ),
    ).toEqual([
      {
        path: 'deid.allowList.safePrivate[0].creator',
        message: '"SIEMENS CSA HEADER" is never safe: its blocks hold free text',
      },
      {
        path: 'deid.allowList.safePrivate[0].element',
        message: "must be the element's low byte, 0-255 (0x00-0xFF), found 4112",
      },
      {
        path: 'deid.allowList.safePrivate[0].group',
        message: 'must be an odd private group between 0x0009 and 0xFFFD, found 40',
      },
    ]);
  });

  it('pseudonym pattern without a counter, with unsafe characters', () => {
    expect(errorsOf((r) => (r.deid.pseudonymPattern = 'SITE'))).toEqual([
      {
        path: 'deid.pseudonymPattern',
        message: 'must hold exactly one counter placeholder {n} or {n:width}, found 0',
      },
    ]);
    expect(errorsOf((r) => (r.deid.pseudonymPattern = 'SITE/{n:4}'))[0].path).toBe(
      'deid.pseudonymPattern',
    );
  });

  it('date shift: min greater than max, not whole days', () => {
    expect(errorsOf((r) => (r.deid.dateShiftDays = { min: 10, max: -10 }))).toEqual([
      { path: 'deid.dateShiftDays', message: 'min (10) must not be greater than max (-10)' },
    ]);
    expect(errorsOf((r) => (r.deid.dateShiftDays = { min: 1.5, max: 3 }))).toEqual([
      { path: 'deid.dateShiftDays.min', message: 'must be a whole number, found number 1.5' },
    ]);
  });

  it('overrides: bad path segment, replace without replacement, replacement without replace', () => {
    expect(
      errorsOf(
        (r) =>
          (r.deid.overrides = [
            { path: 'RequestAttributesSequence > RequestedProcedureDescription', action: 'accept' },
            { path: '(0009,xx10) "GEMS_IDEN_01"', action: 'remove' },
            { path: 'RequestAttributesSequence > Nope', action: 'blank' },
            { path: '(0009,1010)', action: 'remove' },
            { path: 'StudyDescription', action: 'replace' },
            { path: 'StudyDescription', action: 'blank', replacement: 'x' },
          ]),
      ),
    ).toEqual([
      { path: 'deid.overrides[2].path', message: 'segment 2 "Nope" is not a DICOM keyword' },
      {
        path: 'deid.overrides[3].path',
        message: 'segment 1 "(0009,1010)" is private: write it (gggg,xxee) "CREATOR"',
      },
      { path: 'deid.overrides[4].replacement', message: 'is required when action is "replace"' },
      {
        path: 'deid.overrides[5].replacement',
        message: 'is only used with action "replace", not "blank"',
      },
    ]);
  });

  it('package: bad name, bad volume size, too small a volume', () => {
    expect(errorsOf((r) => (r.package = { name: '../evil', volumeSize: '2 gallons' }))).toEqual([
      {
        path: 'package.name',
        message:
          'may use only letters, digits, ".", "_" and "-" (it names the zip files), starting with a letter or digit',
      },
      {
        path: 'package.volumeSize',
        message:
          'volume size "2 gallons" is not a number followed by B, KB, MB, GB, TB, KiB, MiB, GiB or TiB',
      },
    ]);
    expect(errorsOf((r) => (r.package.volumeSize = '10KB'))).toEqual([
      { path: 'package.volumeSize', message: 'must be at least 1MiB, found 10000 bytes' },
    ]);
  });

  it('expectations: SOP class not a UID, modality in lower case, non-positive slice thickness', () => {
    expect(
      errorsOf(
        (r) =>
          (r.expectations = { sopClasses: ['CT Image'], modalities: ['ct'], sliceThicknessMax: 0 }),
      ),
    ).toEqual([
      {
        path: 'expectations.sliceThicknessMax',
        message: 'must be a number of millimetres above 0, found number 0',
      },
      {
        path: 'expectations.sopClasses[0]',
        message: '"CT Image" is not a UID (digits and dots, at most 64 characters)',
      },
      {
        path: 'expectations.modalities[0]',
        message: '"ct" is not a modality code (upper case, e.g. "CT")',
      },
    ]);
  });

  it('pixels: mode required and enumerated; safe tokens are string lists', () => {
    expect(
      errorsOf(
        (r) => (r.pixels = { mode: 'blur' as never, safeTokens: { CT: ['L', 3 as never] } }),
      ),
    ).toEqual([
      {
        path: 'pixels.mode',
        message:
          'must be one of "redact-all-text-in-high-risk", "redact-phi-only", "off", found "blur"',
      },
      { path: 'pixels.safeTokens.CT[1]', message: 'must be a string, found number 3' },
    ]);
  });

  it('collects every error at once instead of stopping at the first', () => {
    const errors = errorsOf((r) => {
      (r as Record<string, unknown>).name = '';
      r.selection.level = 'patient' as never;
    });
    expect(errors.map((e) => e.path)).toEqual(['name', 'selection.level']);
  });
});

describe('parseVolumeSize', () => {
  it('reads binary and decimal units and bare bytes', () => {
    expect(parseVolumeSize('2GiB')).toBe(2147483648);
    expect(parseVolumeSize('700MB')).toBe(700_000_000);
    expect(parseVolumeSize('1.5 MiB')).toBe(1572864);
    expect(parseVolumeSize('4096')).toBe(4096);
    expect(parseVolumeSize('1tib')).toBe(2 ** 40);
  });

  it('rejects what it cannot read', () => {
    expect(() => parseVolumeSize('')).toThrow(RangeError);
    expect(() => parseVolumeSize('-1GB')).toThrow(RangeError);
    expect(() => parseVolumeSize('0B')).toThrow('more than 0 bytes');
  });
});

describe('recipe hash', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalRecipeJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('is the SHA-256 of the canonical JSON: key order and whitespace do not change it', async () => {
    const r = defaultRecipe();
    const pretty = JSON.stringify(r, null, 2);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(r).reverse()));
    const h = await recipeHash(pretty);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await recipeHash(reordered)).toBe(h);
    expect(await recipeHash(r)).toBe(h);
    const changed = { ...r, name: 'Other' };
    expect(await recipeHash(JSON.stringify(changed))).not.toBe(h);
  });
});

// A small reader of the JSON Schema keywords recipe.schema.json uses, enough to keep it in sync.
type Schema = Record<string, unknown>;
function checkAgainstSchema(
  value: unknown,
  s: Schema,
  root: Schema,
  path: string,
  out: string[],
): void {
  if (typeof s.$ref === 'string') {
    const target = (s.$ref as string).replace('#/$defs/', '');
    checkAgainstSchema(value, (root.$defs as Record<string, Schema>)[target], root, path, out);
    return;
  }
  if ('const' in s && value !== s.const) out.push(`${path}: const`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`${path}: enum`);
  if (s.type === 'object' && value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of (s.required as string[] | undefined) ?? [])
      if (!(k in o)) out.push(`${path}.${k}: required`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(o)) {
      if (props[k]) checkAgainstSchema(v, props[k], root, `${path}.${k}`, out);
      else if (s.additionalProperties === false) out.push(`${path}.${k}: additional`);
    }
  }
  if (
    s.type === 'string' &&
    typeof value === 'string' &&
    typeof s.pattern === 'string' &&
    !new RegExp(s.pattern).test(value)
  ) {
    out.push(`${path}: pattern`);
  }
  if (s.type === 'boolean' && typeof value !== 'boolean') out.push(`${path}: boolean`);
  if (s.type === 'integer' && !Number.isInteger(value)) out.push(`${path}: integer`);
}

describe('recipe.schema.json', () => {
  it('is a draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('accepts the default recipe (same required keys, enums and patterns as validateRecipe)', () => {
    const out: string[] = [];
    checkAgainstSchema(defaultRecipe(), schema as Schema, schema as Schema, '', out);
    expect(out).toEqual([]);
  });

  it('requires the same top-level and option keys as validateRecipe', () => {
    expect(schema.required).toEqual(['schema', 'version', 'name', 'selection', 'deid', 'package']);
    expect(schema.$defs.profileOptions.required.slice().sort()).toEqual(
      Object.keys(defaultRecipe().deid.options).sort(),
    );
  });
});
