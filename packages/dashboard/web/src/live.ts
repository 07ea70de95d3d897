/**
 * The live fleet: one EventSource on /api/v1/events for the whole page. The server sends the fleet at once and
 * again whenever it changes; the browser reconnects by itself after an error.
 */
import { useEffect, useState } from 'preact/hooks';
import { API_PREFIX, type ErrorResponse, type FleetResponse } from '../../src/contract.js';
import { getJson } from './api.js';

export type Connection = 'connecting' | 'live' | 'reconnecting';

export interface FleetFeedState {
  fleet?: FleetResponse;
  /** The source could not be read at the last refresh (the fleet shown is then the last one read). */
  sourceError?: string;
  connection: Connection;
}

export function useFleetFeed(): FleetFeedState {
  const [state, setState] = useState<FleetFeedState>({ connection: 'connecting' });
  useEffect(() => {
    // The first fleet comes from the preloaded /fleet (index.html) so the table shows while the event stream
    // connects; the stream's own first event, a moment later, replaces it.
    let streamed = false;
    getJson<FleetResponse>('/fleet').then(
      (fleet) => !streamed && setState((s) => (s.fleet ? s : { ...s, fleet })),
      () => undefined, // the stream reports failures
    );
    const events = new EventSource(`${API_PREFIX}/events`);
    events.addEventListener('open', () => setState((s) => ({ ...s, connection: 'live' })));
    events.addEventListener('error', () => setState((s) => ({ ...s, connection: 'reconnecting' })));
    events.addEventListener('fleet', (e) => {
      const fleet = JSON.parse((e as MessageEvent<string>).data) as FleetResponse;
      streamed = true;
      setState({ fleet, connection: 'live' });
    });
    events.addEventListener('source-error', (e) => {
      const { error } = JSON.parse((e as MessageEvent<string>).data) as ErrorResponse;
      setState((s) => ({ ...s, sourceError: error.message, connection: 'live' }));
    });
    return () => events.close();
  }, []);
  return state;
}

/** The current time, ticking every `everyMs`, so that ages on the page stay true between updates. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
