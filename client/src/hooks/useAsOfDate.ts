/** The explorer's as-of date (api.ts setAsOf), as React state: a component reading it re-renders when it changes. */
import { useSyncExternalStore } from 'react';
import { asOf, subscribeAsOf } from '../api';

export function useAsOfDate(): string | null {
  return useSyncExternalStore(subscribeAsOf, asOf);
}
