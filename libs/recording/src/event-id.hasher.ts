/**
 * The write path's name for the domain's event id: one implementation, allocation-free (see
 * eventIdFor in libs/domain).
 */
export { eventIdFor as hashEventId } from '@rapport/domain';
