// Content-Type values as the reference parses them (Go's mime.ParseMediaType): a media type
// (`type/subtype`, or a lone token) and `; name=value` parameters, values tokens or quoted
// strings. The reference answers a value it cannot parse with 400, so these errors carry Go's
// texts, which end up in the message.

export interface MediaType {
  /** Lower case, without parameters. */
  readonly type: string;
  /** Parameter names in lower case. */
  readonly params: Readonly<Record<string, string>>;
}

export class MediaTypeError extends Error {
  override readonly name = 'MediaTypeError';
}

const TSPECIALS = '()<>@,;:\\"/[]?=';

function isTokenChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !TSPECIALS.includes(c);
}

/** The leading token of `s` and what follows it. */
function token(s: string): [string, string] {
  let i = 0;
  while (i < s.length && isTokenChar(s[i] as string)) i++;
  return [s.slice(0, i), s.slice(i)];
}

/** A token or a quoted string (backslash escapes a character) at the start of `s`. */
function value(s: string): [string, string] | undefined {
  if (!s.startsWith('"')) {
    const [t, rest] = token(s);
    return t === '' ? undefined : [t, rest];
  }
  let out = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return [out, s.slice(i + 1)];
    if (c === '\\' && i + 1 < s.length) {
      out += s[++i];
      continue;
    }
    if (c === '\r' || c === '\n') return undefined;
    out += c;
  }
  return undefined;
}

/** `; name=value` at the start of `s`: the name (lower case), the value and the rest. */
function param(s: string): [string, string, string] | undefined {
  let rest = s.trimStart();
  if (!rest.startsWith(';')) return undefined;
  rest = rest.slice(1).trimStart();
  const [name, afterName] = token(rest);
  if (name === '') return undefined;
  rest = afterName.trimStart();
  if (!rest.startsWith('=')) return undefined;
  const v = value(rest.slice(1).trimStart());
  if (v === undefined) return undefined;
  return [name.toLowerCase(), v[0], v[1]];
}

export function parseMediaType(text: string): MediaType {
  const semicolon = text.indexOf(';');
  const base = semicolon < 0 ? text : text.slice(0, semicolon);
  const type = base.toLowerCase().trim();
  const [first, afterFirst] = token(type);
  if (first === '') throw new MediaTypeError('mime: no media type');
  if (afterFirst !== '') {
    if (!afterFirst.startsWith('/'))
      throw new MediaTypeError('mime: expected slash after first token');
    const [sub, afterSub] = token(afterFirst.slice(1));
    if (sub === '') throw new MediaTypeError('mime: expected token after slash');
    if (afterSub !== '') throw new MediaTypeError('mime: unexpected content after media subtype');
  }
  const params: Record<string, string> = {};
  let rest = semicolon < 0 ? '' : text.slice(semicolon);
  while (rest.trimStart() !== '') {
    const p = param(rest);
    if (p === undefined) {
      // Trailing semicolons are tolerated.
      if (rest.trim() === ';') break;
      throw new MediaTypeError('mime: invalid media parameter');
    }
    const [name, v, after] = p;
    if (Object.hasOwn(params, name)) throw new MediaTypeError('mime: duplicate parameter name');
    params[name] = v;
    rest = after;
  }
  return { type, params };
}
