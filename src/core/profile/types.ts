// The contract between the profile (which action applies to an element, and why) and the engine that applies it.
import type { Tag, VR } from '../dicom/types';

/**
 * The actions of DICOM PS3.15 Table E.1-1 (Annex E, "Application Level Confidentiality Profile"):
 * D replace with a non-zero-length dummy value consistent with the VR; Z replace with a zero-length
 * (or dummy) value; X remove; K keep (sequences: keep and process their items); C clean, i.e.
 * replace with values of similar meaning known not to identify (dates: shift them); U replace the
 * UID with a new one, consistently within the set of instances.
 */
export type Action = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U';

/** The Annex E options (PS3.15 E.3). The Clean Pixel Data and Clean Recognizable Visual Features
 *  options are applied by the pixel step, not by header rules, and so are not here. */
export interface ProfileOptions {
  retainSafePrivate: boolean;
  retainUIDs: boolean;
  retainDeviceIdentity: boolean;
  retainInstitutionIdentity: boolean;
  retainPatientCharacteristics: boolean;
  /** 'full': dates and times kept as they are; 'modified': shifted (action C); 'off': basic actions. */
  retainLongitudinal: 'off' | 'full' | 'modified';
  cleanDescriptors: boolean;
  cleanStructuredContent: boolean;
  cleanGraphics: boolean;
}

export interface ElementRule {
  action: Action;
  /**
   * Why, in words a privacy officer can cite: "PS3.15 Table E.1-1 (0008,0090)
   * ReferringPhysicianName: Z", "Retain Device Identity option: K", "allow-list: CT image",
   * "not on the allow-list", "recipe override".
   */
  reason: string;
}

export interface RuleContext {
  sopClassUID: string;
  /** Tags of the enclosing sequences, outermost first (empty at the top level). */
  path: Tag[];
  /** The value of the private creator element that reserves this private element's block. */
  privateCreator?: string;
}

/** One private attribute known to be safe to keep: creator string and the element's low byte. */
export interface SafePrivateAttribute {
  /** The private group (odd); absent = any group the creator reserves a block in. */
  group?: number;
  creator: string;
  /** The element number's low byte (xx of gggg,00xx-gggg,xxxx blocks: (0019,xx0A) → 0x0a). */
  element: number;
  /** When set, the element is safe only with this VR (or UN, as implicit-VR files carry it). */
  vr?: VR;
}

/** What a recipe may add to, or take away from, the built-in allow-list. */
export interface AllowListExtensions {
  /** Keywords (or "(gggg,eeee)" tags) to keep although not on the built-in allow-list. */
  add?: string[];
  /** Keywords (or "(gggg,eeee)" tags) to drop from the built-in allow-list. */
  remove?: string[];
  /** Private attributes this recipe declares safe (used only with Retain Safe Private). */
  safePrivate?: SafePrivateAttribute[];
}

export interface MethodCode {
  value: string;
  scheme: 'DCM';
  meaning: string;
}

export interface Profile {
  options: ProfileOptions;
  /** Always answers; never throws. */
  ruleFor(tag: Tag, vr: VR, ctx: RuleContext): ElementRule;
  /** CID 7050 codes for the profile and options applied, for DeidentificationMethodCodeSequence. */
  methodCodes: MethodCode[];
  /** For DeidentificationMethod (LO, VM 1-n): values of at most 64 characters joined by '\'. */
  methodDescription: string;
}
