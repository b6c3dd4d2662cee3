import { isISO4217CurrencyCode } from 'class-validator';
import type { Money } from '@rapport/domain';
import { describe } from './segment-call';

/**
 * Digits after the decimal point in `currency`'s minor unit (EUR 2, JPY 0, BHD 3), as the
 * runtime's Intl (CLDR) knows them: the same source the dashboard shows amounts with, so an
 * amount taken in here is shown back exactly as it was sent.
 */
export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits as number;
}

/** An upper-case ISO 4217 code from a Segment `currency` ("usd" is taken as USD). */
export function readCurrency(value: unknown, path: string): string | { readonly problem: string } {
  if (typeof value !== 'string')
    return { problem: `${path} must be an ISO 4217 code such as "EUR" (got ${describe(value)})` };
  const code = value.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) && isISO4217CurrencyCode(code)
    ? code
    : { problem: `${path} must be an ISO 4217 code such as "EUR" (got "${value}")` };
}

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?$/;

/**
 * A Segment amount (a decimal number of the currency's major unit: 49.99 EUR) in integer minor
 * units (4999). A number is taken to the nearest minor unit when it is one up to binary noise
 * (19.99 is 1998.9999999999998 cents as a double); a value finer than the currency's minor
 * unit (10.555 EUR, 1.5 JPY) is refused rather than rounded, since rounding would record money
 * nobody paid. Decimal strings ("19.99") are read exactly.
 */
export function toMinorUnits(
  value: unknown,
  currency: string,
  path: string,
): Money | { readonly problem: string } {
  const exponent = currencyExponent(currency);
  const finer = () => ({
    problem: `${path} has more decimals than ${currency} has (${exponent}): ${String(value)}`,
  });
  let minor: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      return { problem: `${path} must be a finite number (got ${value})` };
    if (value < 0) return { problem: `${path} must not be negative (got ${value})` };
    const scaled = value * 10 ** exponent;
    minor = Math.round(scaled);
    const noise = Math.max(1e-6, Math.abs(scaled) * Number.EPSILON * 4);
    if (Math.abs(scaled - minor) > noise) return finer();
  } else if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) {
    const [, whole, fraction = ''] = DECIMAL_TEXT.exec(value.trim()) as RegExpExecArray;
    if (/[1-9]/.test(fraction.slice(exponent))) return finer();
    minor = Number(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  } else {
    return {
      problem: `${path} must be a number such as 49.99 (got ${describe(value)})`,
    };
  }
  if (minor > Number.MAX_SAFE_INTEGER)
    return { problem: `${path} is too large to count in minor units of ${currency}` };
  return { minor, currency };
}
