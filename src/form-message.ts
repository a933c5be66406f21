import { WsConnectionError } from './core/errors.js';

/** A form's fields as `<form ws-send json>` sends them: a name that occurs more than once holds an array. */
export type FormFields = Record<string, string | string[]>;

/**
 * The message a `<form ws-send>` sends: with `json` an object of its fields,
 * without it the fields as `application/x-www-form-urlencoded` text.
 *
 * The submitter's name and value are included, as a native submit includes
 * them (`new FormData(form, submitter)`).
 *
 * @throws {WsConnectionError} code `serialize`, the form on `data`, when a
 *   file is chosen in a file field: a text frame cannot carry it, and
 *   sending its name alone would look like success.
 */
export function formMessage(form: HTMLFormElement, submitter: HTMLElement | null, json: boolean): FormFields | string {
  const fields: [string, string][] = [];
  for (const [name, value] of new FormData(form, submitter)) {
    if (typeof value === 'string') fields.push([name, value]);
    // A file input with nothing chosen still yields an entry: an empty File named "". Nothing was
    // chosen, so there is nothing to refuse and nothing to send.
    else if (value.name !== '' || value.size > 0) {
      throw new WsConnectionError('serialize', `The form's field "${name}" holds a file; forms send text only.`, {
        data: form,
      });
    }
  }
  if (!json) return new URLSearchParams(fields).toString();
  const object: FormFields = {};
  for (const [name, value] of fields) {
    // Own properties only, so a field named `constructor` or `__proto__` is a plain key.
    const previous = Object.hasOwn(object, name) ? object[name] : undefined;
    if (previous === undefined) Object.defineProperty(object, name, { value, enumerable: true, writable: true });
    else if (Array.isArray(previous)) previous.push(value);
    else object[name] = [previous, value];
  }
  return object;
}
