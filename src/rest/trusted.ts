// The POST /graphql requests REST routes make in process (./plugin.ts), told apart by identity:
// no client can forge membership. Under PERSISTED_OPERATIONS=only they are trusted documents,
// as the manifest's are: the server wrote them (./routes.ts).
const restOperations = new WeakSet<Request>();

export function markRestOperation(request: Request): Request {
  restOperations.add(request);
  return request;
}

export const isRestOperation = (request: Request): boolean => restOperations.has(request);
