// What an upload request says about its BLOB (http-api.md §5.1-5.2): the name and content type,
// and the TTL of a temporary BLOB. API v1 takes them from the query (`name`, `mimeType`, `ttl`),
// API v2 from the `Blob-Name`, `Content-Type` and `TTL` headers. The checks, their order and
// their 400 messages are the reference's (blobber validateQueryParams).
import { isTempBlobTtl, type TempBlobTtl } from '../../apps/index.js';
import { HttpError } from '../http-errors.js';
import { type MediaType, MediaTypeError, parseMediaType } from './media-type.js';

export interface UploadParams {
  readonly name: string;
  readonly contentType: string;
  /** Set for a temporary BLOB. */
  readonly ttl: TempBlobTtl | undefined;
}

const MULTIPART = 'multipart/form-data';
export const TTL_MESSAGE = '"1d" is only supported for now for temporary blob ttl';

interface RawUploadParams {
  /** Every value given for the name (v1 query `name`, or the one `Blob-Name` header of v2). */
  readonly names: readonly string[];
  readonly mimeTypes: readonly string[];
  /** The requested TTL; undefined for a persistent BLOB. */
  readonly ttl: string | undefined;
  /** The request's Content-Type header, as sent ('' when absent). */
  readonly contentType: string;
  /** The v2 owner table and field checks, which the reference makes between these. */
  readonly checkOwner?: () => void;
}

/** API v1: `?name=&mimeType=&ttl=`, or a multipart body (validated, not split). */
export function v1UploadParams(query: URLSearchParams, contentType: string): UploadParams {
  const ttl = query.getAll('ttl')[0];
  return checkUploadParams({
    names: query.getAll('name'),
    mimeTypes: query.getAll('mimeType'),
    // As in the reference, an empty `ttl=` asks for a persistent BLOB.
    ttl: ttl === '' ? undefined : ttl,
    contentType,
  });
}

/**
 * API v2: the headers (absent ones count as empty). A temporary upload must name its TTL; the
 * reference would treat one without as a persistent upload for no table, and fail on that.
 */
export function v2UploadParams(
  headers: { blobName: string; contentType: string; ttl: string | undefined },
  kind: { readonly temporary: true } | { readonly temporary: false; checkOwner: () => void },
): UploadParams {
  if (kind.temporary && headers.ttl === undefined) throw new HttpError(400, TTL_MESSAGE);
  return checkUploadParams({
    names: [headers.blobName],
    mimeTypes: [headers.contentType],
    // The TTL header makes no difference to a persistent upload route.
    ttl: kind.temporary ? headers.ttl : undefined,
    contentType: headers.contentType,
    ...(kind.temporary ? {} : { checkOwner: kind.checkOwner }),
  });
}

function checkUploadParams(p: RawUploadParams): UploadParams {
  let media: MediaType | undefined;
  if (p.contentType !== '') {
    try {
      media = parseMediaType(p.contentType);
    } catch (error) {
      if (!(error instanceof MediaTypeError)) throw error;
      throw new HttpError(400, `failed to parse Content-Type header: ${error.message}`);
    }
  }
  const hasName = p.names.length > 0;
  const hasMimeType = p.mimeTypes.length > 0;
  if (hasName !== hasMimeType) {
    throw new HttpError(400, 'both name and mimeType query params must be specified');
  }
  let ttl: TempBlobTtl | undefined;
  if (p.ttl !== undefined) {
    if (!isTempBlobTtl(p.ttl)) throw new HttpError(400, TTL_MESSAGE);
    ttl = p.ttl;
  }
  p.checkOwner?.();
  if (hasName) {
    // The reference compares the whole header here, parameters and all.
    if (p.contentType === MULTIPART) {
      throw new HttpError(
        400,
        `name+mimeType query params and "${MULTIPART}" Content-Type header are mutual exclusive`,
      );
    }
    return { name: p.names[0] ?? '', contentType: p.mimeTypes[0] ?? '', ttl };
  }
  if (media === undefined) {
    throw new HttpError(
      400,
      'neither "name"+"mimeType" query params nor Content-Type header is not provided',
    );
  }
  if (media.type !== MULTIPART) {
    throw new HttpError(
      400,
      `name+mimeType query params are not provided -> Content-Type must be mutipart/form-data but actual is ${p.contentType}`,
    );
  }
  if ((media.params.boundary ?? '') === '') {
    throw new HttpError(400, `boundary of ${MULTIPART} is not specified`);
  }
  // A multipart body is accepted and stored whole, without name or type, as the reference does.
  return { name: '', contentType: '', ttl };
}
