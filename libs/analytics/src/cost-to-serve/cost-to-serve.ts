import { InvalidAnalyticsInputError } from '../shared/analytics.errors';

/** What serving one unit of each kind costs, in minor units of the reporting currency. */
export interface UnitCosts {
  readonly callMinuteMinor: number;
  readonly complaintMinor: number;
  /** A cancellation or return of an order (or part of one). */
  readonly cancellationMinor: number;
  readonly emailSentMinor: number;
}

/** What a customer used over a period. */
export interface ServiceUsage {
  readonly callSeconds: number;
  readonly complaints: number;
  readonly cancellations: number;
  readonly emailsSent: number;
}

export type CostDriver = 'calls' | 'complaints' | 'cancellations' | 'emails';

export interface CostPart {
  readonly driver: CostDriver;
  /** Units used: call minutes (fractional), complaints, cancellations, emails sent. */
  readonly units: number;
  readonly costMinor: number;
}

export interface CostToServe {
  readonly totalMinor: number;
  /** Every driver with a cost, most costly first. */
  readonly parts: readonly CostPart[];
}

/**
 * Cost to serve over a period: units used × unit cost per driver. Calls are costed by the
 * minute, to the second (not rounded up per call). Each part is rounded to whole minor units;
 * the total is their sum, so the parts always add up.
 */
export function costToServe(usage: ServiceUsage, costs: UnitCosts): CostToServe {
  for (const [name, value] of Object.entries(usage))
    if (!(value >= 0) || !Number.isFinite(value))
      throw new InvalidAnalyticsInputError('service usage must be finite and ≥ 0', {
        [name]: value,
      });
  const parts: CostPart[] = [
    { driver: 'calls' as const, units: usage.callSeconds / 60, unitCost: costs.callMinuteMinor },
    { driver: 'complaints' as const, units: usage.complaints, unitCost: costs.complaintMinor },
    {
      driver: 'cancellations' as const,
      units: usage.cancellations,
      unitCost: costs.cancellationMinor,
    },
    { driver: 'emails' as const, units: usage.emailsSent, unitCost: costs.emailSentMinor },
  ]
    .map(({ driver, units, unitCost }) => ({
      driver,
      units,
      costMinor: Math.round(units * unitCost),
    }))
    .filter((part) => part.costMinor > 0)
    .sort((x, y) => y.costMinor - x.costMinor);
  return { totalMinor: parts.reduce((sum, part) => sum + part.costMinor, 0), parts };
}
