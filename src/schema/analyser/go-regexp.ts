// CHECK patterns are Go regular expressions (RE2 syntax), not JavaScript ones: the engine runs them with
// re2js, and a pattern must be accepted or rejected exactly as Go's regexp.Compile would.
import { RE2JS, RE2JSSyntaxException } from 're2js';

// Go reports these two with the whole expression; re2js leaves the expression out.
const wholeExpressionErrors = new Set(['expression too large', 'expression nests too deeply']);

/** Undefined when the pattern compiles; otherwise the text Go's regexp.Compile error prints. */
export function checkGoRegexp(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) {
      const expr = wholeExpressionErrors.has(e.error) ? pattern : (e.input ?? '');
      // Go always prints the expression part, even when it is empty (a trailing backslash)
      return `error parsing regexp: ${e.error}: \`${expr}\``;
    }
    return e instanceof Error ? e.message : String(e);
  }
}
