/** The shapes of the public /v1 answers the dashboard reads (see /docs). */

export interface TierFigures {
  readonly count: number;
  readonly revenueMinor: number;
  readonly revenueShare: number;
  readonly minRevenueMinor: number | null;
  readonly maxRevenueMinor: number | null;
}

export interface TierSummary {
  readonly asOf: string;
  readonly currency: string;
  readonly windowMonths: number;
  readonly totalRevenueMinor: number;
  readonly customers: number;
  readonly customersWithRevenue: number;
  readonly tiers: Readonly<Record<'A' | 'B' | 'C' | 'none', TierFigures>>;
  readonly tierACustomerShare: number;
  readonly lorenzCurve: ReadonlyArray<{ customerShare: number; revenueShare: number }>;
  readonly gini: number;
}

export interface SegmentFigures {
  readonly count: number;
  readonly customerShare: number;
  readonly revenueMinor: number;
  readonly revenueShare: number;
  readonly valueAtRiskMinor: number;
  readonly highRisk: number;
}

export interface SegmentSummary {
  readonly asOf: string;
  readonly currency: string;
  readonly customers: number;
  readonly totalValueAtRiskMinor: number;
  readonly segments: Readonly<Record<string, SegmentFigures>>;
}

export interface CohortRow {
  readonly cohort: string;
  readonly size: number;
  readonly retainedCustomers: readonly number[];
  readonly retentionRates: readonly number[];
}

export interface Retention {
  readonly asOf: string;
  readonly buyers: number;
  readonly repeatBuyers: number;
  readonly repeatPurchaseRate: number;
  readonly cancellationRate: number;
  readonly cohorts: {
    readonly maxMonthOffset?: number;
    readonly partialMonth?: string | null;
    readonly cohorts: readonly CohortRow[];
  };
}

export interface ChurnReason {
  readonly code: string;
  readonly explanation: string;
}

export interface InsightsRow {
  readonly customerId: string;
  readonly revenueMinor: number;
  readonly valueTier: string;
  readonly segment: string;
  readonly riskScore: number;
  readonly riskBand: string;
  readonly valueAtRiskMinor: number;
  readonly reasonCodes: readonly string[];
  readonly lastSeenAt: string | null;
  readonly channels: readonly string[];
}

export interface AtRiskItem extends InsightsRow {
  readonly reasons: readonly ChurnReason[];
}

export interface AtRiskPage {
  readonly asOf: string;
  readonly total: number;
  readonly totalValueAtRiskMinor: number;
  readonly currency: string;
  readonly items: readonly AtRiskItem[];
  readonly nextCursor?: string;
}

export interface CustomerView {
  readonly customerId: string;
  readonly sources: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string | null;
  readonly touchpointCount: number;
  readonly countsByChannel: Readonly<Record<string, number>>;
  readonly orderCount: number;
  readonly cancellationCount: number;
  readonly grossRevenue: Readonly<Record<string, number>>;
  readonly netRevenue: Readonly<Record<string, number>>;
  readonly complaintsRaised: number;
  readonly complaintsResolved: number;
  readonly insights?: {
    readonly asOf: string;
    readonly trailingRevenue: { minor: number; currency: string; windowMonths: number };
    readonly valueTier: string | null;
    readonly probabilityAlive: number | null;
    readonly churn: {
      readonly score: number;
      readonly band: string;
      readonly valueAtRiskMinor: number;
      readonly reasons: readonly ChurnReason[];
    };
    readonly segment: { readonly segment: string; readonly rule: string };
  };
}

export interface TimelineItem {
  readonly position: string;
  readonly type: string;
  readonly channel: string;
  readonly source: string;
  readonly occurredAt: string;
  readonly touchpointId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TimelinePage {
  readonly items: readonly TimelineItem[];
  readonly nextCursor?: string | null;
}

export interface ProjectionStatus {
  readonly head: string;
  readonly projections: ReadonlyArray<{
    readonly name: string;
    readonly generation: number;
    readonly records: number;
    readonly position: string;
    readonly lag: string;
    readonly building: { generation: number; position: string } | null;
    readonly parked: {
      readonly count: number;
      readonly customers: ReadonlyArray<{
        customerId: string;
        position: string;
        eventType: string;
        error: string;
      }>;
    };
  }>;
  readonly insightsExcluded: { readonly count: number };
  readonly rebuilds: ReadonlyArray<{
    id: string;
    projection: string;
    state: string;
    generation: number;
    eventsApplied: number;
    startedAt: string;
  }>;
}

export interface SignalItem {
  readonly id: string;
  readonly rule: string;
  readonly trigger: string;
  readonly subject: { readonly kind: string; readonly id: string };
  readonly reason: string;
  readonly valueAtStake: { readonly minor: number; readonly currency: string } | null;
  readonly suggestedAction: string;
  readonly dueAt: string;
  readonly expiresAt: string;
  readonly status: 'pending' | 'published';
}

export interface SignalsPage {
  readonly items: readonly SignalItem[];
  readonly nextCursor?: string;
}

/** GET /v1/me: the calling key's role, and every role whose routes it may call. */
export interface Caller {
  readonly keyId: string;
  readonly role: 'analyst' | 'ingest' | 'admin';
  readonly roles: ReadonlyArray<'analyst' | 'ingest' | 'admin'>;
}
