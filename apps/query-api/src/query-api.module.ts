import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { InsightsModule } from '@rapport/insights';
import { KEY_STORE } from '@rapport/privacy';
import { IdentityReadModule } from '@rapport/recording';
import { SignalLedgerModule } from '@rapport/signal-delivery';
import { ChurnModelHttpController } from './churn-model/churn-model.http.controller';
import { FitChurnModelHandler, GetChurnModelHandler } from './churn-model/churn-model.handlers';
import { AtRiskHttpController } from './get-at-risk/at-risk.http.controller';
import { GetAtRiskHandler } from './get-at-risk/get-at-risk.handler';
import { CustomerTimelineHttpController } from './get-customer-timeline/customer-timeline.http.controller';
import { GetCustomerTimelineHandler } from './get-customer-timeline/get-customer-timeline.handler';
import { CustomersHttpController } from './get-customer-view/customers.http.controller';
import { GetCustomerViewHandler } from './get-customer-view/get-customer-view.handler';
import { DeselectionHttpController } from './get-deselection/deselection.http.controller';
import { GetDeselectionHandler } from './get-deselection/get-deselection.handler';
import { GetRetentionHandler } from './get-retention/get-retention.handler';
import { RetentionHttpController } from './get-retention/retention.http.controller';
import { GetSegmentSummaryHandler } from './get-segment-summary/get-segment-summary.handler';
import { SegmentsHttpController } from './get-segment-summary/segments.http.controller';
import { GetTierSummaryHandler } from './get-tier-summary/get-tier-summary.handler';
import { TiersHttpController } from './get-tier-summary/tiers.http.controller';
import { CustomersListHttpController } from './list-customers/customers-list.http.controller';
import { ListCustomersHandler } from './list-customers/list-customers.handler';
import { OrderedRowsCache } from './shared/ordered-rows.cache';
import { GetProjectionStatusHandler } from './projection-status/get-projection-status.handler';
import { ProjectionStatusHttpController } from './projection-status/projection-status.http.controller';
import {
  ProjectionRebuildsLifecycle,
  projectionRebuildsProvider,
} from './rebuild-projection/projection-rebuilds.provider';
import { RebuildProjectionHandler } from './rebuild-projection/rebuild-projection.handler';
import { ProjectionVersionsLifecycle } from './rebuild-projection/projection-versions.lifecycle';
import { RebuildProjectionHttpController } from './rebuild-projection/rebuild-projection.http.controller';
import { SnapshotSource } from './shared/snapshot.source';
import { ListSignalsHandler } from './list-signals/list-signals.handler';
import { SignalsHttpController } from './list-signals/signals.http.controller';
import { IdentitiesHttpController } from './get-identity/identities.http.controller';
import { GetIdentityProfileHandler } from './get-identity/get-identity-profile.handler';
import { FindProfileMembersHandler } from './get-identity/find-profile-members.handler';
import { CustomerSignalsHttpController } from './list-customer-signals/customer-signals.http.controller';
import { ListCustomerSignalsHandler } from './list-customer-signals/list-customer-signals.handler';

/** The analysts' read API over the read store and the insights snapshot. */
@Module({
  imports: [CqrsModule, SignalLedgerModule, InsightsModule, IdentityReadModule.withKeys(KEY_STORE)],
  controllers: [
    CustomersListHttpController,
    CustomersHttpController,
    CustomerTimelineHttpController,
    TiersHttpController,
    SegmentsHttpController,
    AtRiskHttpController,
    DeselectionHttpController,
    RetentionHttpController,
    ChurnModelHttpController,
    ProjectionStatusHttpController,
    RebuildProjectionHttpController,
    SignalsHttpController,
    IdentitiesHttpController,
    CustomerSignalsHttpController,
  ],
  providers: [
    SnapshotSource,
    OrderedRowsCache,
    GetCustomerViewHandler,
    GetCustomerTimelineHandler,
    ListCustomersHandler,
    GetTierSummaryHandler,
    GetSegmentSummaryHandler,
    GetAtRiskHandler,
    GetDeselectionHandler,
    GetRetentionHandler,
    GetChurnModelHandler,
    FitChurnModelHandler,
    projectionRebuildsProvider,
    ProjectionRebuildsLifecycle,
    ProjectionVersionsLifecycle,
    GetProjectionStatusHandler,
    RebuildProjectionHandler,
    ListSignalsHandler,
    GetIdentityProfileHandler,
    FindProfileMembersHandler,
    ListCustomerSignalsHandler,
  ],
})
export class QueryApiModule {
  /**
   * With the projector in this process (the platform): `projectorModule` exports PROJECTOR and
   * INSIGHTS_REFRESH, so rebuilds switch between its batches and refits join its refresh.
   */
  static withProjector(projectorModule: Type): DynamicModule {
    return { module: QueryApiModule, imports: [projectorModule] };
  }
}
