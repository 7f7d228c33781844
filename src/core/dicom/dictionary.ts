// Looks up keywords, VRs and retirement of standard tags in the generated PS3.6 data dictionary.
import { DICTIONARY_ROWS } from './dictionary.generated';
import type { Tag, VR } from './types';
import { isPrivateCreator, isPrivateTag, tagElement, tagGroup } from './types';

interface Entry {
  keyword: string;
  tag: Tag;
  vrs: VR[];
  vm: string;
  retired: boolean;
}

let byTag: Map<Tag, Entry> | undefined;
let byKeyword: Map<string, Entry> | undefined;

// Built on first use so that importing the module costs nothing until a lookup happens.
function index(): { byTag: Map<Tag, Entry>; byKeyword: Map<string, Entry> } {
  if (!byTag || !byKeyword) {
    byTag = new Map();
    byKeyword = new Map();
    for (const [keyword, tag, vr, vm, retired] of DICTIONARY_ROWS) {
      const entry: Entry = {
        keyword,
        tag,
        vrs: vr === '' ? [] : (vr.split('|') as VR[]),
        vm,
        retired: retired === 1,
      };
      byTag.set(tag, entry);
      if (!byKeyword.has(keyword)) byKeyword.set(keyword, entry);
    }
  }
  return { byTag, byKeyword };
}

/** Repeating groups (50xx curves, 60xx overlays) are listed under group 5000/6000. */
function repeatingBase(tag: Tag): Tag | undefined {
  const group = tagGroup(tag);
  const hi = group & 0xff00;
  if ((hi === 0x5000 || hi === 0x6000) && (group & 1) === 0) {
    return ((hi << 16) | tagElement(tag)) >>> 0;
  }
  return undefined;
}

function entryFor(tag: Tag): Entry | undefined {
  const { byTag: map } = index();
  const exact = map.get(tag >>> 0);
  if (exact) return exact;
  const base = repeatingBase(tag);
  return base === undefined ? undefined : map.get(base);
}

/** The tag of a standard keyword such as 'PatientName' (repeating groups give their first group). */
export function tagForKeyword(keyword: string): Tag | undefined {
  return index().byKeyword.get(keyword)?.tag;
}

/** The standard keyword of a tag, or undefined for private and unknown tags. */
export function keywordForTag(tag: Tag): string | undefined {
  if (isPrivateTag(tag)) return undefined;
  return entryFor(tag)?.keyword;
}

/** Every VR the dictionary allows for a tag (e.g. ['US', 'SS']); empty when unknown. */
export function vrsForTag(tag: Tag): VR[] {
  if (tagElement(tag) === 0 && tagGroup(tag) !== 0xfffe) return ['UL'];
  if (isPrivateCreator(tag)) return ['LO'];
  if (isPrivateTag(tag)) return [];
  return entryFor(tag)?.vrs ?? [];
}

/**
 * The VR to use for a tag when the file does not say (implicit VR): the first one the dictionary
 * lists; UN for private and unknown tags; UL for group lengths (gggg,0000); LO for private creators.
 */
export function vrForTag(tag: Tag): VR {
  return vrsForTag(tag)[0] ?? 'UN';
}

/** True when PS3.6 marks the attribute as retired. */
export function isRetired(tag: Tag): boolean {
  if (isPrivateTag(tag)) return false;
  return entryFor(tag)?.retired ?? false;
}

/** The value multiplicity from PS3.6 ('1', '1-n', ...), or undefined when unknown. */
export function vmForTag(tag: Tag): string | undefined {
  if (isPrivateTag(tag)) return undefined;
  return entryFor(tag)?.vm;
}
