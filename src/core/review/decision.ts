// A reviewer's decision on one value left after de-identification (or on a whole element), with
// who made it and when: what the Review screen stores and what the review summary counts.

export type ReviewAction = 'accept' | 'replace' | 'blank' | 'remove';

export interface ReviewDecision {
  /** The element path as the dump shows it ('SeriesDescription', '(0009,1010) "ACME"'). */
  path: string;
  /** The exact value as the dump shows it; undefined = every value of the element (accept only). */
  value?: string;
  action: ReviewAction;
  /** With 'replace' only. */
  replacement?: string;
  /** The name the reviewer typed on the Review screen. */
  reviewer?: string;
  /** When the decision was made (ms since the epoch). */
  decidedAt?: number;
}
