// Doc comments: the comment block written right before a statement or field becomes its description.
// The reference's own comment rules, tried in its order, decide which comment block documents a statement:
// only a block that starts on a fresh line (`\n` right before it) counts, and the last such block wins.
const preStmtComment = /(?:(?:[\n\r]+\s*--[^\n]*)+)|(?:[\n\r]\s*\/\*[\s\S]*?\*\/)/y;
const multilineComment = /\/\*[\s\S]*?\*\//y;
const plainComment = /\s*--[^\r\n]*/y;
const whitespace = /[ \r\n\t]+/y;

export function docComment(text: string, from: number, to: number): readonly string[] {
  // most gaps between tokens are blanks only: every comment starts with '-' or '/'
  let k = from;
  while (k < to && text.charCodeAt(k) !== 45 && text.charCodeAt(k) !== 47) k++;
  if (k === to) return [];
  let pos = from;
  let last: string | undefined;
  while (pos < to) {
    preStmtComment.lastIndex = pos;
    const m = preStmtComment.exec(text);
    if (m !== null && m.index === pos) {
      last = m[0];
      pos += m[0].length;
      continue;
    }
    let advanced = false;
    for (const re of [multilineComment, plainComment, whitespace]) {
      re.lastIndex = pos;
      const mm = re.exec(text);
      if (mm !== null && mm.index === pos && mm[0].length > 0) {
        pos += mm[0].length;
        advanced = true;
        break;
      }
    }
    if (!advanced) break;
  }
  if (last === undefined) return [];
  return cleanComment(last);
}

function cleanComment(raw: string): readonly string[] {
  let s = raw.trim();
  const multi = s.startsWith('/*');
  if (multi) {
    s = s.slice(2);
    if (s.endsWith('*/')) s = s.slice(0, -2);
  }
  const out: string[] = [];
  for (const line of s.split('\n')) {
    let t = line.trim();
    if (!multi && t.startsWith('--')) t = t.slice(2).trim();
    if (t.length > 0) out.push(t);
  }
  return out;
}
