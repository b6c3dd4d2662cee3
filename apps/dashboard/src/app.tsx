import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized } from './api.client';
import { apiKeyStore } from './api-key.store';
import { ApiKeyForm } from './components/api-key-form';
import { AtRiskPage } from './pages/at-risk.page';
import { CustomerPage } from './pages/customer.page';
import { OverviewPage } from './pages/overview.page';
import { ProjectionsPage } from './pages/projections.page';
import { SignalsPage } from './pages/signals.page';
import { parseRoute, routeHash, type Route } from './route';

const NAV: ReadonlyArray<{ page: Route['page']; label: string }> = [
  { page: 'overview', label: 'Overview' },
  { page: 'at-risk', label: 'At risk' },
  { page: 'signals', label: 'Signals' },
  { page: 'customer', label: 'Customer' },
  { page: 'projections', label: 'Projections' },
];

export function App() {
  const [hasKey, setHasKey] = useState(apiKeyStore.get() !== null);
  const [refused, setRefused] = useState<string | undefined>();
  const [route, setRoute] = useState<Route>(parseRoute(location.hash));

  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(
    () =>
      onUnauthorized(() => {
        apiKeyStore.clear();
        setRefused('The API key was refused. Enter a valid key.');
        setHasKey(false);
      }),
    [],
  );

  if (!hasKey)
    return (
      <ApiKeyForm
        reason={refused}
        onKey={(key) => {
          apiKeyStore.set(key);
          setRefused(undefined);
          setHasKey(true);
        }}
      />
    );

  const go = (next: Route) => {
    location.hash = routeHash(next);
  };
  return (
    <>
      <header>
        <span class="brand">Rapport</span>
        <nav aria-label="Pages">
          <ul>
            {NAV.map((item) => (
              <li key={item.page}>
                <a
                  href={`#/${item.page}`}
                  aria-current={route.page === item.page ? 'page' : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          class="forget"
          onClick={() => {
            apiKeyStore.clear();
            setHasKey(false);
          }}
        >
          Forget the API key
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'overview' && <OverviewPage />}
        {route.page === 'at-risk' && (
          <AtRiskPage openCustomer={(customerId) => go({ page: 'customer', customerId })} />
        )}
        {route.page === 'signals' && (
          <SignalsPage openCustomer={(customerId) => go({ page: 'customer', customerId })} />
        )}
        {route.page === 'customer' && (
          <CustomerPage
            customerId={route.customerId}
            search={(customerId) => go({ page: 'customer', customerId })}
          />
        )}
        {route.page === 'projections' && <ProjectionsPage />}
      </main>
    </>
  );
}
