// The principal token of a request (http-api.md §0.1-0.2): from the Authorization header, or from
// an `Authorization` cookie when there is no header. Checking the token (signature, expiry,
// application) belongs to the auth context; this only finds it, or refuses a malformed header.
import { HttpError } from './http-errors.js';

const BEARER = 'Bearer ';
const BASIC = 'Basic ';

interface HeaderSource {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The token the request carries, `undefined` for an anonymous request; 401 when malformed. */
export function principalTokenOf(req: HeaderSource): string | undefined {
  const header = authorizationOf(req);
  if (header === undefined || header === '') return undefined;
  if (header.startsWith(BEARER)) return header.slice(BEARER.length);
  if (header.startsWith(BASIC)) {
    const decoded = decodeBase64(header.slice(BASIC.length));
    const parts = decoded?.split(':');
    if (parts === undefined || parts.length !== 2) {
      throw new HttpError(
        401,
        'access denied: wrong Basic authorization: a single colon is expected',
      );
    }
    // The token may be in the user part, the password part, or split across both.
    return `${parts[0]}${parts[1]}`;
  }
  throw new HttpError(401, `access denied: unsupported Authorization header: ${header}`);
}

function authorizationOf(req: HeaderSource): string | undefined {
  const h = req.headers.authorization;
  const header = Array.isArray(h) ? h[0] : h;
  if (header !== undefined) return header;
  const cookie = req.headers.cookie;
  const cookies = Array.isArray(cookie) ? cookie.join('; ') : cookie;
  if (cookies === undefined) return undefined;
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== 'Authorization') continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

function decodeBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}
