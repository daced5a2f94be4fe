// VSQL string literals are unquoted like Go character literals (the reference unquotes every String
// token with strconv.UnquoteChar and the single quote), so `'\d'` is an error, not the text `\d`.

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
};

const hexDigits: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** The text of a quoted literal (quotes included), or undefined when an escape is invalid. */
export function unquoteGo(literal: string): string | undefined {
  const body = literal.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  let k = 0;
  while (k < body.length) {
    const c = body[k] as string;
    if (c !== '\\') {
      out += c;
      k++;
      continue;
    }
    const e = body[k + 1];
    if (e === undefined) return undefined;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
      k += 2;
      continue;
    }
    const n = hexDigits[e];
    if (n !== undefined) {
      const digits = body.slice(k + 2, k + 2 + n);
      if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      const v = Number.parseInt(digits, 16);
      // \u and \U must name a Unicode scalar value; \x is a byte
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return undefined;
      out += String.fromCodePoint(v);
      k += 2 + n;
      continue;
    }
    if (e >= '0' && e <= '7') {
      const digits = body.slice(k + 1, k + 4);
      if (!/^[0-7]{3}$/.test(digits)) return undefined;
      const v = Number.parseInt(digits, 8);
      if (v > 255) return undefined;
      out += String.fromCharCode(v);
      k += 4;
      continue;
    }
    return undefined;
  }
  return out;
}
