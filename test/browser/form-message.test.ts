import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import { formMessage } from '../../src/form-message.js';

const forms: HTMLFormElement[] = [];

/** A form with the given fields, attached (a detached form works too, but files and defaults behave as on a page). */
function form(fields: string): HTMLFormElement {
  const made = document.createElement('form');
  made.innerHTML = fields;
  document.body.append(made);
  forms.push(made);
  return made;
}

afterEach(() => {
  for (const made of forms.splice(0)) made.remove();
});

/** A file chosen in `input`, as the user's file picker would set it (DataTransfer is the only way to build a FileList). */
function chooseFile(input: HTMLInputElement, file: File): void {
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
}

describe('formMessage(form, submitter, json)', () => {
  it('with json: an object of the fields, a repeated name as an array in order, unchecked and disabled fields left out', () => {
    const made = form(`
      <input name="text" value="two words">
      <select name="colour"><option>red</option><option selected>green</option></select>
      <select name="sizes" multiple><option selected>s</option><option>m</option><option selected>l</option></select>
      <input type="checkbox" name="tags" value="a" checked>
      <input type="checkbox" name="tags" value="b">
      <input type="checkbox" name="tags" value="c" checked>
      <input type="radio" name="pick" value="x"><input type="radio" name="pick" value="y" checked>
      <input type="checkbox" name="unchecked" value="no">
      <input name="off" value="disabled" disabled>
      <textarea name="note">line</textarea>
      <input type="hidden" name="type" value="chat">
    `);
    expect(formMessage(made, null, true)).to.deep.equal({
      text: 'two words',
      colour: 'green',
      sizes: ['s', 'l'],
      tags: ['a', 'c'],
      pick: 'y',
      note: 'line',
      type: 'chat',
    });
  });

  it("includes the submitter's name and value, and no other button's", () => {
    const made = form(`
      <input name="text" value="hi">
      <button name="action" value="save">Save</button>
      <button name="action" value="delete">Delete</button>
      <input type="submit" name="via" value="input">
    `);
    const [, remove] = made.querySelectorAll('button');
    expect(formMessage(made, remove!, true)).to.deep.equal({ text: 'hi', action: 'delete' });
    expect(formMessage(made, made.querySelector('input[type=submit]'), false)).to.equal('text=hi&via=input');
    expect(formMessage(made, null, true)).to.deep.equal({ text: 'hi' });
  });

  it('without json: application/x-www-form-urlencoded text, as URLSearchParams writes it, repeated names repeated', () => {
    const made = form(`
      <input name="a" value="1">
      <input name="b" value="two words">
      <input name="b" value="&=?é">
    `);
    expect(formMessage(made, null, false)).to.equal('a=1&b=two+words&b=%26%3D%3F%C3%A9');
  });

  it('gives an empty object or empty text for a form with no fields', () => {
    const made = form('<button>Send</button>');
    expect(formMessage(made, null, true)).to.deep.equal({});
    expect(formMessage(made, null, false)).to.equal('');
  });

  it('keeps a field named like an Object.prototype member a plain key', () => {
    const made = form(`
      <input name="__proto__" value="p">
      <input name="constructor" value="c1">
      <input name="constructor" value="c2">
      <input name="toString" value="t">
    `);
    const message = formMessage(made, null, true) as Record<string, unknown>;
    expect(Object.getPrototypeOf(message)).to.equal(Object.prototype);
    expect(Object.keys(message)).to.deep.equal(['__proto__', 'constructor', 'toString']);
    expect(message.constructor).to.deep.equal(['c1', 'c2']);
    expect(JSON.stringify(message)).to.equal('{"__proto__":"p","constructor":["c1","c2"],"toString":"t"}');
  });

  it('leaves out a file input with nothing chosen (FormData gives it as an empty File named "")', () => {
    const made = form('<input name="text" value="hi"><input type="file" name="upload">');
    expect(formMessage(made, null, true)).to.deep.equal({ text: 'hi' });
    expect(formMessage(made, null, false)).to.equal('text=hi');
  });

  it('throws serialize, the form on error.data, when a file is chosen, json or not', () => {
    const made = form('<input name="text" value="hi"><input type="file" name="upload">');
    chooseFile(made.querySelector<HTMLInputElement>('input[type=file]')!, new File(['x'], 'note.txt'));
    expect(made.querySelector<HTMLInputElement>('input[type=file]')!.files).to.have.length(1);
    for (const json of [true, false]) {
      let thrown: unknown;
      try {
        formMessage(made, null, json);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(WsConnectionError);
      expect((thrown as WsConnectionError).code).to.equal('serialize');
      expect((thrown as WsConnectionError).data).to.equal(made);
      expect((thrown as WsConnectionError).message).to.contain('upload');
    }
  });

  it('also refuses a chosen file that is empty but named', () => {
    const made = form('<input type="file" name="upload">');
    chooseFile(made.querySelector<HTMLInputElement>('input')!, new File([], 'empty.txt'));
    expect(() => formMessage(made, null, true)).to.throw(WsConnectionError);
  });
});
