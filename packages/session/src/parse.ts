/**
 * `JSON.parse` that keeps integers beyond 2^53 exact, as `BigInt`.
 *
 * Python's `json` reads and writes integers of any size; JavaScript's `JSON.parse` rounds
 * `1234567890123456789` to `1234567890123456800`, so a 64-bit id from a Starlette session would
 * be written back wrong. Node 20 has no `JSON.parse` source-text access (the reviver `context`
 * arrives with V8 11.4), and `json-bigint` turns a long float into `BigInt('0.1…')`, which throws;
 * so this small parser handles the grammar below. It runs only when the text holds a run of 16
 * digits (every unsafe integer has one); any other text goes to `JSON.parse` itself.
 *
 *   value  = object / array / string / number / "true" / "false" / "null"     (RFC 8259)
 *   number = [ "-" ] int [ frac ] [ exp ]
 *
 * A number token without fraction or exponent that is not a safe integer becomes a `BigInt`;
 * every other number is `Number(token)`, exactly what `JSON.parse` gives. Strings are decoded by
 * `JSON.parse` itself. `__proto__` stays a plain own key, as with `JSON.parse`.
 */

const LONG_DIGITS = /\d{16}/;
const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON strings hold no raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

/** Parses JSON `text`; integers beyond 2^53 come back as `BigInt`. Throws `SyntaxError`. */
export function parseJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const parser = new Parser(text);
  const value = parser.value();
  parser.space();
  if (parser.at !== text.length) parser.fail();
  return value;
}

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  fail(): never {
    throw new SyntaxError(`Unexpected token in JSON at position ${this.at}`);
  }

  space(): void {
    WHITESPACE.lastIndex = this.at;
    WHITESPACE.exec(this.text);
    this.at = WHITESPACE.lastIndex;
  }

  private match(pattern: RegExp): RegExpExecArray {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text) ?? this.fail();
    this.at = pattern.lastIndex;
    return found;
  }

  value(): unknown {
    this.space();
    const ch = this.text[this.at];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return JSON.parse(this.match(STRING)[0]) as string;
    if (ch === 't' || ch === 'f' || ch === 'n')
      return JSON.parse(this.match(LITERAL)[0]) as unknown;
    const [token, frac, exp] = this.match(NUMBER);
    const number = Number(token);
    return frac === undefined && exp === undefined && !Number.isSafeInteger(number)
      ? BigInt(token)
      : number;
  }

  private expect(ch: string): void {
    this.space();
    if (this.text[this.at] !== ch) this.fail();
    this.at++;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      const key = JSON.parse(this.match(STRING)[0]) as string;
      this.expect(':');
      // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it.
      Object.defineProperty(out, key, {
        value: this.value(),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      this.space();
      const next = this.text[this.at++];
      if (next === '}') return out;
      if (next !== ',') this.fail();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const next = this.text[this.at++];
      if (next === ']') return out;
      if (next !== ',') this.fail();
    }
  }
}
