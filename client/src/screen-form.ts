/** The Screen panel's single-party form, read into a ScreenInput (plain functions, unit-tested without a browser). */
import type { ScreenInput } from './api';

/**
 * The identifiers box: one a line or separated by ";", each "type: value" or a bare value (its type
 * recognised by the server). A prefix is a type only if it is a word (so "https://…" stays a value).
 */
export function parseIdentifiers(text: string): ScreenInput['identifiers'] {
  const out: { type?: string; value: string }[] = [];
  for (const part of text.split(/[;\n]/)) {
    const item = part.trim();
    if (!item) continue;
    const m = /^([A-Za-z][A-Za-z_ ]*?)\s*:\s*(\S.*)$/.exec(item);
    if (m && !/^(https?|mailto)$/i.test(m[1]) && !m[2].startsWith('//')) out.push({ type: m[1], value: m[2].trim() });
    else out.push({ value: item });
  }
  return out;
}
