import type { BgNbdParams } from '../bgnbd/bg-nbd.types';

/**
 * Published CDNOW sample fit (Fader, Hardie & Lee 2005, weeks; 2,357 customers):
 * LL = −9582.4. Used in tests only, as reference parameters.
 */
export const CDNOW_SAMPLE_PARAMS: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
