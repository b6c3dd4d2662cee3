/** Names of the security schemes in the OpenAPI document (either one is enough). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'apiKey';
