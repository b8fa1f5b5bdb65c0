/** Where REST v1 lives: every path under it is answered by src/rest/, never by GraphQL. */
export const REST_PREFIX = '/v1';

export const isRestPath = (pathname: string): boolean => pathname === REST_PREFIX || pathname.startsWith(`${REST_PREFIX}/`);
