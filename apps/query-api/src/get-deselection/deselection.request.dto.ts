import { PageRequestDto } from '../shared/insights-rows.request.dto';

/** Paging only: the list is defined by its rule (net value below zero), not by filters. */
export class DeselectionRequestDto extends PageRequestDto {}
