import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { type Client, createClient } from 'graphql-ws/client';
import type { ApiKeyRole } from './gql/graphql.js';

/**
 * The console's only way to the server: the public GraphQL API, over fetch (queries, mutations) and
 * graphql-ws (subscriptions), with the API key the user signed in with. The key lives in
 * sessionStorage only: it is gone when the tab closes, and never written anywhere else.
 */

const KEY_ITEM = 'access-webhooks.api-key';
const ROLE_ITEM = 'access-webhooks.role';

export interface Session {
  key: string;
  role: ApiKeyRole;
}

export function loadSession(): Session | null {
  const key = sessionStorage.getItem(KEY_ITEM);
  const role = sessionStorage.getItem(ROLE_ITEM) as ApiKeyRole | null;
  return key && role ? { key, role } : null;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY_ITEM, session.key);
  sessionStorage.setItem(ROLE_ITEM, session.role);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY_ITEM);
  sessionStorage.removeItem(ROLE_ITEM);
  closeLive();
}

/** Called when the server says the key is not (or no longer) valid. */
let onSignedOut: (reason: string) => void = () => {};
export function setSignedOutHandler(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

/** One invalid field, as a ValidationError (data) or a GraphQL error's extensions.fieldErrors name it. */
export interface ApiFieldError {
  path: string[];
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly status?: number,
    /** A query's invalid arguments (extensions.fieldErrors with BAD_USER_INPUT), e.g. previewWebhook's. */
    readonly fieldErrors: ApiFieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * An operation of ./queries.ts: its text, typed by its result R and its variables V (generated from the
 * schema by `npm run codegen`), so a page cannot send wrong variables or read a field it did not select.
 */
export type Operation<R, V> = string & DocumentTypeDecoration<R, V>;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; fieldErrors?: ApiFieldError[] } }[];
}

/** Runs one operation; GraphQL errors (not result-union errors, which are data) throw ApiError. */
export async function gql<R, V>(query: Operation<R, V>, variables: V, key = loadSession()?.key): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${key ?? ''}`,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server cannot be reached. Check your connection and try again.', 'NETWORK');
  }
  let body: GraphQLResponse<R>;
  try {
    body = (await res.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`The server answered HTTP ${res.status}.`, 'HTTP', res.status);
  }
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED' && key === loadSession()?.key) onSignedOut(error.message);
    throw new ApiError(error.message, code, res.status, error.extensions?.fieldErrors ?? []);
  }
  if (!body.data)
    throw new ApiError(`The server answered HTTP ${res.status} with no data.`, 'HTTP', res.status);
  return body.data;
}

// ---- live updates (graphql-ws) ----------------------------------------------------------------------

export type LiveState = 'connecting' | 'live' | 'offline';

let client: Client | null = null;
let liveState: LiveState = 'connecting';
const liveListeners = new Set<(state: LiveState) => void>();

function setLive(state: LiveState) {
  liveState = state;
  for (const listener of liveListeners) listener(state);
}

/** Follows the WebSocket's state; returns the unsubscribe function. */
export function onLiveState(listener: (state: LiveState) => void): () => void {
  liveListeners.add(listener);
  listener(liveState);
  return () => liveListeners.delete(listener);
}

function liveClient(): Client {
  if (client) return client;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  client = createClient({
    url,
    lazy: true,
    connectionParams: () => ({ authorization: `Bearer ${loadSession()?.key ?? ''}` }),
    retryAttempts: Number.POSITIVE_INFINITY,
    // 4401: key revoked; 4403: connection_init refused (bad key). Retrying cannot help.
    shouldRetry: (event) => {
      const code = (event as { code?: number } | null)?.code;
      return code !== 4401 && code !== 4403;
    },
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** retries)));
    },
    on: {
      connecting: () => setLive('connecting'),
      connected: () => setLive('live'),
      closed: (event) => {
        setLive('offline');
        const code = (event as { code?: number } | null)?.code;
        if (code === 4401 || code === 4403) onSignedOut('The API key was revoked or is not valid.');
      },
    },
  });
  return client;
}

function closeLive() {
  const current = client;
  client = null;
  setLive('connecting');
  void current?.dispose();
}

/** Subscribes over graphql-ws; returns the function that ends the subscription. */
export function subscribe<R, V extends Record<string, unknown>>(
  query: Operation<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (message: string) => void = () => {},
): () => void {
  return liveClient().subscribe<R>(
    { query, variables },
    {
      next: (result) => {
        if (result.data) onData(result.data);
        if (result.errors?.length) onError(result.errors.map((e) => e.message).join('; '));
      },
      error: (err) => onError(err instanceof Error ? err.message : 'the live connection closed'),
      complete: () => {},
    },
  );
}
