import { useEffect, useRef, useState } from 'preact/hooks';
import { gql, type LiveState, type Operation, onLiveState, subscribe } from '../api.js';
import type {
  ConsoleInvocationFragment,
  ConsoleInvocationUpdatedSubscriptionVariables,
} from '../gql/graphql.js';
import { INVOCATION_UPDATED } from '../queries.js';

/** The Relay connection shape every list query of the API answers (the generated result types fit it). */
export interface Connection<N> {
  edges: { node: N }[];
  pageInfo: PageInfo;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface LiveConnectionOptions<R, V, N> {
  /** The list query; reloaded from its first page whenever `variables` change (compared as JSON). */
  query: Operation<R, V>;
  variables: V;
  /** The connection in the query's result. */
  connection: (data: R) => Connection<N>;
  /** Variables of the `invocationUpdated` subscription (e.g. one webhook's invocations only). */
  live: ConsoleInvocationUpdatedSubscriptionVariables;
  /**
   * The loaded nodes after an invocation changed: return `nodes` itself when nothing changes. Always
   * called with the options of the latest render, so it may read the page's current filters.
   */
  merge: (nodes: N[], invocation: ConsoleInvocationFragment) => N[];
}

export interface LiveConnection<N> {
  nodes: N[];
  /** null until the first page has loaded. */
  pageInfo: PageInfo | null;
  loading: boolean;
  /** The last load or live-update failure; cleared by the next successful load. */
  error: string | null;
  /** The live connection's state, as the user should see it (see api.ts). */
  live: LiveState;
  /** Appends the next page (nodes already shown are not repeated). */
  loadMore: () => Promise<void>;
}

/**
 * A list page's data: one Relay connection of the API, loaded page by page, kept live by the
 * `invocationUpdated` subscription (graphql-ws) and reloaded after the live connection dropped and came
 * back, since updates sent meanwhile were missed.
 */
export function useLiveConnection<R, V extends { after?: string | null }, N extends { id: string }>(
  options: LiveConnectionOptions<R, V, N>,
): LiveConnection<N> {
  const [nodes, setNodes] = useState<N[]>([]);
  const [pageInfo, setPageInfo] = useState<PageInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  const [reloads, setReloads] = useState(0);
  const latest = useRef(options);
  latest.current = options;
  // Bumped by every (re)load: an answer for older variables, or for a page before a reload, is dropped.
  const generation = useRef(0);
  const variablesKey = JSON.stringify(options.variables);
  const liveKey = JSON.stringify(options.live);

  // variablesKey stands for the variables (a new object every render); reloads asks for a reload.
  useEffect(() => {
    const current = ++generation.current;
    const { query, variables, connection } = latest.current;
    setLoading(true);
    gql(query, variables).then(
      (data) => {
        if (current !== generation.current) return;
        const page = connection(data);
        setNodes(page.edges.map((e) => e.node));
        setPageInfo(page.pageInfo);
        setError(null);
        setLoading(false);
      },
      (e: Error) => {
        if (current !== generation.current) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      generation.current++;
    };
  }, [variablesKey, reloads]);

  useEffect(() => {
    let sawLive = false;
    let dropped = false;
    return onLiveState((state) => {
      // Not yet connected once: still connecting, whatever the socket went through.
      setLive(state === 'offline' && !sawLive ? 'connecting' : state);
      if (state === 'live') {
        if (dropped) setReloads((n) => n + 1);
        sawLive = true;
        dropped = false;
      } else if (state === 'offline' && sawLive) {
        dropped = true;
      }
    });
  }, []);

  // Resubscribes when the subscription's variables change (liveKey stands for them).
  useEffect(
    () =>
      subscribe(
        INVOCATION_UPDATED,
        latest.current.live,
        ({ invocationUpdated }) => {
          const { merge } = latest.current;
          setNodes((current) => merge(current, invocationUpdated));
        },
        (message) => setError(`Live updates stopped: ${message}`),
      ),
    [liveKey],
  );

  const loadMore = async () => {
    const after = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
    if (!after) return;
    const current = generation.current;
    const { query, variables, connection } = latest.current;
    try {
      const page = connection(await gql(query, { ...variables, after }));
      if (current !== generation.current) return;
      setNodes((shown) => {
        const seen = new Set(shown.map((n) => n.id));
        return [...shown, ...page.edges.map((e) => e.node).filter((n) => !seen.has(n.id))];
      });
      setPageInfo(page.pageInfo);
    } catch (e) {
      if (current === generation.current) setError((e as Error).message);
    }
  };

  return { nodes, pageInfo, loading, error, live, loadMore };
}
