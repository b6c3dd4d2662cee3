import { useState } from 'preact/hooks';
import { ApiError, describeError, postJson } from '../api.client';
import type { Caller, ProjectionStatus } from '../api.types';
import { Empty, Status } from '../components/status-message';
import { formatCount, formatInstant } from '../format';
import { useApi } from '../use-api';

/**
 * How far behind the views are, who is parked and why, and a blue/green rebuild for admins. The
 * rebuild buttons show only when GET /v1/me says the key is an admin's: an analyst is not
 * offered what the API would refuse.
 */
export function ProjectionsPage() {
  const [reload, setReload] = useState(0);
  const [outcome, setOutcome] = useState<string | null>(null);
  const status = useApi<ProjectionStatus>('/v1/projections/status', reload);
  const caller = useApi<Caller>('/v1/me');
  const mayRebuild = caller.state === 'ready' && caller.data.roles.includes('admin');
  const rebuild = async (name: string) => {
    setOutcome(`Starting a rebuild of ${name}…`);
    try {
      const started = await postJson<{ id: string; generation: number }>(
        `/v1/projections/${encodeURIComponent(name)}/rebuild`,
      );
      setOutcome(
        `Rebuild of ${name} started into generation ${started.generation} (id ${started.id}); queries read the current view until it switches.`,
      );
      setReload(reload + 1);
    } catch (error) {
      setOutcome(
        error instanceof ApiError && error.status === 403
          ? 'Rebuilding needs an admin API key; this key may only read.'
          : `The rebuild did not start: ${describeError(error)}`,
      );
    }
  };
  return (
    <>
      <h1>Projections</h1>
      <p>
        <button type="button" onClick={() => setReload(reload + 1)}>
          Refresh the status
        </button>
      </p>
      {!mayRebuild && caller.state !== 'loading' && (
        <p class="note" data-testid="rebuild-needs-admin">
          {caller.state === 'ready'
            ? `Rebuilding a view needs an admin API key; this key is an ${caller.data.role} key.`
            : `Rebuilding a view needs an admin API key; the role of this key is not known (${caller.message}).`}
        </p>
      )}
      {outcome && (
        <p role="status" class="note" data-testid="rebuild-outcome">
          {outcome}
        </p>
      )}
      <Status loaded={status} what="the projection status">
        {(s) => (
          <>
            <p>
              Head of the event log: position <strong data-testid="head">{s.head}</strong>.
              Customers left out of the insights: {formatCount(s.insightsExcluded.count)}.
            </p>
            <table data-testid="projection-table">
              <caption>Each view, how far it has read, and its parked customers</caption>
              <thead>
                <tr>
                  <th scope="col">view</th>
                  <th scope="col">generation</th>
                  <th scope="col">records</th>
                  <th scope="col">position</th>
                  <th scope="col">lag (events)</th>
                  <th scope="col">parked</th>
                  {mayRebuild && <th scope="col">rebuild</th>}
                </tr>
              </thead>
              <tbody>
                {s.projections.map((p) => (
                  <tr key={p.name} data-projection={p.name}>
                    <th scope="row">{p.name}</th>
                    <td class="num">
                      {p.generation}
                      {p.building
                        ? ` (building ${p.building.generation} at ${p.building.position})`
                        : ''}
                    </td>
                    <td class="num">{formatCount(p.records)}</td>
                    <td class="num">{p.position}</td>
                    <td class="num" data-field="lag">
                      {p.lag}
                    </td>
                    <td class="num" data-field="parked">
                      {p.parked.count}
                    </td>
                    {mayRebuild && (
                      <td>
                        <button type="button" onClick={() => void rebuild(p.name)}>
                          Rebuild {p.name}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Parked customers</h2>
            {s.projections.every((p) => p.parked.count === 0) ? (
              <Empty>No customer is parked: every event was applied.</Empty>
            ) : (
              <table data-testid="parked-table">
                <caption>Customers whose events a view could not apply, with the reason</caption>
                <thead>
                  <tr>
                    <th scope="col">customer</th>
                    <th scope="col">view</th>
                    <th scope="col">event</th>
                    <th scope="col">reason</th>
                  </tr>
                </thead>
                <tbody>
                  {s.projections.flatMap((p) =>
                    p.parked.customers.map((c) => (
                      <tr key={`${p.name}/${c.customerId}`}>
                        <th scope="row">{c.customerId}</th>
                        <td>{p.name}</td>
                        <td>
                          {c.eventType} at {c.position}
                        </td>
                        <td>{c.error}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )}
            <h2>Rebuilds</h2>
            {s.rebuilds.length === 0 ? (
              <Empty>No rebuild since the platform started.</Empty>
            ) : (
              <ul data-testid="rebuilds">
                {s.rebuilds.map((r) => (
                  <li key={r.id}>
                    {r.projection} → generation {r.generation}: {r.state},{' '}
                    {formatCount(r.eventsApplied)} events applied (started{' '}
                    {formatInstant(r.startedAt)})
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Status>
    </>
  );
}
