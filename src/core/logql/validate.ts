/**
 * Syntax check of LogQL text with Grafana's own grammar (@grafana/lezer-logql). It is the
 * grammar the Grafana query editor uses; it is looser than Loki about string escapes, so
 * escaping is proven separately (see escape.test.ts), not here.
 */
import { parser } from '@grafana/lezer-logql';

export interface SyntaxProblem {
  /** Character offset of the first error node. */
  at: number;
  message: string;
}

/** null when the text parses with no error nodes; otherwise where it first fails. */
export function checkLogqlSyntax(text: string): SyntaxProblem | null {
  const tree = parser.parse(text);
  let at = -1;
  tree.iterate({
    enter: (node) => {
      if (at < 0 && node.type.isError) {
        at = node.from;
      }
      return at < 0;
    },
  });
  if (at < 0) {
    return null;
  }
  return { at, message: `LogQL syntax error at offset ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}` };
}
