// The step the user is on, kept in the location hash so a reload (or the back button) returns there.

export const STEPS = [
  { id: 'intake', label: 'Intake' },
  { id: 'inventory', label: 'Inventory' },
  { id: 'review', label: 'Review' },
  { id: 'pixels', label: 'Pixels' },
  { id: 'export', label: 'Export' },
  { id: 'verify', label: 'Verify' },
  { id: 'report', label: 'Report' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];

const STEP_IDS: readonly string[] = STEPS.map((s) => s.id);

function isStepId(value: string): value is StepId {
  return STEP_IDS.includes(value);
}

/** Reads the step from a hash such as `#inventory`; anything else means the first step. */
export function parseStepHash(hash: string): StepId {
  const id = hash.replace(/^#\/?/, '');
  return isStepId(id) ? id : 'intake';
}

class Navigation {
  current = $state<StepId>(parseStepHash(globalThis.location?.hash ?? ''));
  /** Steps whose work is finished; screens mark them as the store says so. */
  done = $state<Record<StepId, boolean>>({
    intake: false,
    inventory: false,
    review: false,
    pixels: false,
    export: false,
    verify: false,
    report: false,
  });

  constructor() {
    globalThis.addEventListener?.('hashchange', () => {
      this.current = parseStepHash(location.hash);
    });
  }

  go(step: StepId): void {
    this.current = step;
    if (location.hash !== `#${step}`) location.hash = step;
  }

  markDone(step: StepId, done = true): void {
    this.done[step] = done;
  }
}

export const navigation = new Navigation();
