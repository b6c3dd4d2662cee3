/**
 * How numbers read on screen. Pure (no DOM), so that the browser tests compute the text they
 * expect from the API's numbers with the very same functions.
 */

const GROUPED = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** ISO 4217 minor digits (EUR 2, JPY 0, BHD 3), as the runtime's Intl knows them. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/**
 * Integer minor units as "12,345.67 EUR", split with integer arithmetic: the amount is never
 * turned into a binary fraction, so what is shown is exactly what the API sent.
 */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const magnitude = Math.abs(minor);
  const unit = 10 ** digits;
  const whole = GROUPED.format(Math.floor(magnitude / unit));
  const fraction = digits ? `.${String(magnitude % unit).padStart(digits, '0')}` : '';
  return `${sign}${whole}${fraction} ${currency}`;
}

export function formatCount(count: number): string {
  return GROUPED.format(count);
}

/** A share in [0, 1] as a percentage with one decimal: 0.8004 → "80.0%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** An ISO instant as its UTC date and minute: "2026-11-20 14:03 UTC". */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export const SEGMENT_NAMES: Readonly<Record<string, string>> = {
  new: 'New',
  active_value: 'Active value',
  potential: 'Potential',
  migrating: 'Migrating (at risk)',
  dormant: 'Dormant',
};

/** Reason codes in words; the API's own explanation, with the figures, is shown beside them. */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  PURCHASE_OVERDUE: 'Purchase overdue against their own rhythm',
  RECENT_CANCELLATIONS: 'Recent cancellations',
  UNRESOLVED_COMPLAINTS: 'Unresolved complaints',
  FALLING_ENGAGEMENT: 'Falling engagement',
  LOW_PROBABILITY_ALIVE: 'Low probability of still being a customer',
};

export function reasonInWords(code: string): string {
  return REASON_WORDS[code] ?? code;
}

/** Retention rate → one of six heat classes (CSS, no inline style): 0 = none … 5 = ≥ 80%. */
export function heatLevel(rate: number): number {
  if (rate <= 0) return 0;
  return Math.min(5, 1 + Math.floor(rate * 5));
}
