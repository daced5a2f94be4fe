// The routing context: the HTTP server and its APIs (v1, v2, notifications, BLOBs, schemas).
export { type AppTarget, HttpApps, type WorkspaceTarget } from './http-apps.js';
export { type ErrorFormat, HttpError, RouterError } from './http-errors.js';
export { createHttpServer, type HttpServerOptions } from './http-server.js';
