import { PageRequestDto } from '../list-customers/list-customers.request.dto';

/** Paging only: the list is defined by its rule (net value below zero), not by filters. */
export class DeselectionRequestDto extends PageRequestDto {}
