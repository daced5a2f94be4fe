// The statuses of the channel registry's failures, per API: an unknown channel is a 404 to API v2
// and a 400 to v1 (the reference's n10n processor and router differ so); quotas are 429 to both.
import { HttpError } from '../http-errors.js';
import {
  ChannelsClosedError,
  QuotaExceededError,
  UnknownAppError,
  UnknownChannelError,
} from './channels.js';

/**
 * The registry's error as an HttpError with `prefix` before its message (the reference says
 * `subscribe failed: ...` for some); other errors pass through unchanged.
 */
export function channelHttpError(error: unknown, api: 'v1' | 'v2', prefix = ''): unknown {
  const status = statusOf(error, api);
  if (status === undefined) return error;
  return new HttpError(status, `${prefix}${(error as Error).message}`);
}

function statusOf(error: unknown, api: 'v1' | 'v2'): number | undefined {
  if (error instanceof UnknownChannelError) return api === 'v2' ? 404 : 400;
  if (error instanceof QuotaExceededError) return 429;
  if (error instanceof UnknownAppError) return 400;
  if (error instanceof ChannelsClosedError) return 503;
  return undefined;
}
