/** Pages live in the URL's fragment, so that the server serves one file and links still work. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'at-risk' }
  | { readonly page: 'signals' }
  | { readonly page: 'customer'; readonly customerId: string | null }
  | { readonly page: 'projections' };

export function parseRoute(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  switch (page) {
    case 'at-risk':
      return { page: 'at-risk' };
    case 'customer':
      return {
        page: 'customer',
        customerId: rest.length ? decodeURIComponent(rest.join('/')) : null,
      };
    case 'signals':
      return { page: 'signals' };
    case 'projections':
      return { page: 'projections' };
    default:
      return { page: 'overview' };
  }
}

export function routeHash(route: Route): string {
  return route.page === 'customer' && route.customerId
    ? `#/customer/${encodeURIComponent(route.customerId)}`
    : `#/${route.page}`;
}
