// Checks a mutation's input whole before anything is written. Every problem is collected, each
// naming its field as the client wrote it (`input.title`), and reported at once: one
// BAD_USER_INPUT with `details`. The checks also keep what Postgres cannot store (NUL, lone
// surrogates) from reaching it, so hostile strings are a 200 with details, never a 500.
import { badUserInput, type InputProblem } from '../errors.js';
import { decodeGlobalId, malformedIdProblem, type GlobalId } from './global-id.js';

export type TextRule = {
  /** Bounds in characters (Unicode code points), counted after trimming surrounding whitespace. */
  min: number;
  max: number;
  /** Allows line breaks and tabs (content, body); other control characters are refused anywhere. */
  multiline?: boolean;
};

/** C0 and C1 control characters (NUL included), and the same without \t \n \r. */
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;
/** In a `u` regex a lone surrogate is one code point of its own: a paired one is never matched. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Sane, not RFC 5322: one @, something before it, a dotted domain after it, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u;
/** 254 characters: the longest address SMTP can deliver to (RFC 5321 path limit). */
const MAX_EMAIL_LENGTH = 254;

const countCharacters = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/** The last segment of a field path, as messages say it: `input.title` → `title`. */
const nameOf = (field: string) => field.slice(field.lastIndexOf('.') + 1);

export class InputCheck {
  readonly problems: InputProblem[] = [];

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** The text as it will be stored: trimmed, as surrounding whitespace is never what a person means. */
  text(field: string, value: string, rule: TextRule): string {
    const text = value.trim();
    const name = nameOf(field);
    if (LONE_SURROGATE.test(text)) {
      this.problem(field, `${name} must be valid Unicode text: it contains a lone surrogate (half of an emoji or other character).`);
    }
    if ((rule.multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(text)) {
      const allowed = rule.multiline ? ' other than line breaks and tabs' : '';
      this.problem(field, `${name} must not contain control characters${allowed} (such as NUL).`);
    }
    const length = countCharacters(text);
    if (length < rule.min || length > rule.max) {
      const bounds = rule.min === rule.max ? `${rule.min}` : `${rule.min.toLocaleString('en')}–${rule.max.toLocaleString('en')}`;
      this.problem(
        field,
        `${name} must be ${bounds} characters, not counting surrounding whitespace (got ${length.toLocaleString('en')}).`,
      );
    }
    return text;
  }

  /** As `text`, for a field the client may leave out (or null): undefined means "no change". */
  optionalText(field: string, value: string | null | undefined, rule: TextRule): string | undefined {
    return value == null ? undefined : this.text(field, value, rule);
  }

  /**
   * A password, exactly as written: any character counts, but a lone surrogate is refused, as
   * UTF-8 encoding would turn it into U+FFFD and make different passwords hash alike.
   */
  password(field: string, value: string, bounds: { min: number; max: number }): string {
    const name = nameOf(field);
    if (LONE_SURROGATE.test(value))
      this.problem(field, `${name} must be valid Unicode text: it contains a lone surrogate (half of an emoji or other character).`);
    const length = countCharacters(value);
    if (length < bounds.min || length > bounds.max) {
      this.problem(
        field,
        `${name} must be ${bounds.min}–${bounds.max.toLocaleString('en')} characters (got ${length.toLocaleString('en')}).`,
      );
    }
    return value;
  }

  /** A trimmed email address; kept as written (its case too), compared case-insensitively. */
  email(field: string, value: string): string {
    const email = value.trim();
    const name = nameOf(field);
    if (countCharacters(email) > MAX_EMAIL_LENGTH) {
      this.problem(field, `${name} must be at most ${MAX_EMAIL_LENGTH} characters.`);
    } else if (!EMAIL.test(email) || CONTROL.test(email) || LONE_SURROGATE.test(email)) {
      this.problem(field, `${name} must be an email address such as name@example.com.`);
    }
    return email;
  }

  optionalEmail(field: string, value: string | null | undefined): string | undefined {
    return value == null ? undefined : this.email(field, value);
  }

  /** A global id; null when malformed (the problem is then recorded). */
  globalId(field: string, value: string | number): GlobalId | null {
    const parsed = decodeGlobalId(String(value));
    if (!parsed) this.problems.push(malformedIdProblem(field));
    return parsed ?? null;
  }

  /** Throws the one BAD_USER_INPUT when anything was wrong; call it before writing. */
  done(): void {
    if (this.problems.length > 0) throw badUserInput(this.problems);
  }
}
