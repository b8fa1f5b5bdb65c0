// Who a request acts for. A module of its own so that loaders, the fan-out and the schema can
// name the viewer without importing context.ts, which imports them.

/**
 * The signed-in user, from a verified token. Before any resolver runs, useAuthentication checks
 * that the user still exists and the token was not revoked (src/auth/authentication.ts).
 */
export type Viewer = { id: number; tokenVersion: number };
