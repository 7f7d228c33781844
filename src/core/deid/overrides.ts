// Recipe overrides: matching an element path (and optionally a value) to a reviewer's decision.

import { tagForKeyword } from '../dicom/dictionary';
import { formatTag } from '../dicom/types';
import type { Override } from '../profile/recipe';

/**
 * The recipe's reviewer decisions (core/profile recipe.ts), applied after the profile: 'replace'
 * writes `replacement`, 'blank' a zero-length value (or an empty sequence), 'remove' drops the
 * element, 'accept' keeps the profile's value and records that a person accepted it. `value`, when
 * set, limits the override to elements whose value before or after the profile equals it.
 */
export type { Override };

const TAG_SEGMENT = /^\(([0-9A-Fa-f]{4}),([0-9A-Fa-fxX]{2})([0-9A-Fa-f]{2})\)(?:\s+"(.*)")?$/;

/**
 * The canonical form of one segment an override names: a keyword or '(gggg,eeee)' becomes
 * '(GGGG,EEEE)'; a private tag with its creator becomes '(GGGG,xxEE) "CREATOR"' so that it matches
 * whatever block the creator reserved in a file. Undefined for a keyword the dictionary lacks.
 */
function canonicalOverrideSegment(segment: string): string | undefined {
  const text = segment.trim();
  const match = TAG_SEGMENT.exec(text);
  if (match) {
    const group = match[1].toUpperCase();
    const isPrivate = (parseInt(group, 16) & 1) === 1;
    const creator = match[4];
    if (isPrivate && creator !== undefined)
      return `(${group},xx${match[3].toUpperCase()}) "${creator.trim()}"`;
    return `(${group},${match[2].toUpperCase()}${match[3].toUpperCase()})`;
  }
  const tag = tagForKeyword(text);
  return tag === undefined ? undefined : formatTag(tag);
}

/** Overrides indexed by canonical path ('(0040,0275) > (0032,1060)'); paths that name nothing are dropped. */
export function indexOverrides(
  overrides: readonly Override[] | undefined,
): Map<string, Override[]> {
  const index = new Map<string, Override[]>();
  for (const override of overrides ?? []) {
    const segments = override.path.split('>').map(canonicalOverrideSegment);
    if (segments.some((s) => s === undefined)) continue;
    const key = segments.join(' > ');
    const list = index.get(key) ?? [];
    list.push(override);
    index.set(key, list);
  }
  return index;
}

/** The first override for a path whose value condition holds for the value before or after the profile. */
export function findOverride(
  index: ReadonlyMap<string, Override[]>,
  canonicalPath: string,
  before: string | undefined,
  after: string | undefined,
): Override | undefined {
  return index
    .get(canonicalPath)
    ?.find(
      (o) =>
        o.value === undefined ||
        o.value.trim() === before?.trim() ||
        o.value.trim() === after?.trim(),
    );
}
