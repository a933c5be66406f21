import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { WsConnection, WsConnectionError } from '../../src/ws-connection.js';
import { connection, nextEvent, record, server, statusBecomes, type ReceivedFrame } from './helpers.js';

/**
 * A frame no form sends: once its echo is back, every frame sent before it has reached the server.
 * JSON text, so an element with `json` parses its echo rather than reporting `parse`.
 */
const MARKER = '"marker"';

/**
 * A `<form ws-send>` with the given fields, put inside `parent`. It targets a
 * frame of its own, so a submit the element failed to cancel loads there
 * instead of navigating away from the test page.
 */
function addForm(parent: Element, fields: string, attributes = 'ws-send'): HTMLFormElement {
  const holder = document.createElement('div');
  holder.innerHTML = `<form ${attributes} action="/test/fixtures/nowhere" target="form-sink">${fields}</form>`;
  const form = holder.firstElementChild as HTMLFormElement;
  parent.append(form);
  return form;
}

let sink: HTMLIFrameElement;
/** Each `submit` that reached the document, and whether it had been cancelled by then (no navigation). */
let submits: { form: EventTarget | null; cancelled: boolean }[] = [];
const onDocumentSubmit = (event: Event): void => {
  submits.push({ form: event.target, cancelled: event.defaultPrevented });
};

before(() => {
  sink = document.createElement('iframe');
  sink.name = 'form-sink';
  document.body.append(sink);
  document.addEventListener('submit', onDocumentSubmit);
});

after(() => {
  sink.remove();
  document.removeEventListener('submit', onDocumentSubmit);
});

beforeEach(() => {
  submits = [];
});

/** The frames the server received, as text. */
async function received(scope: string): Promise<string[]> {
  return (await server<ReceivedFrame[]>(scope, 'received')).map((frame) => frame.data);
}

/** Sends MARKER and waits for its echo, so everything sent before it has been received. */
async function flushed(element: WsConnection, scope: string): Promise<string[]> {
  const echo = nextEvent<MessageEvent>(
    element,
    'message',
    (event) => event.data === (element.json ? 'marker' : MARKER),
  );
  element.send(MARKER);
  await echo;
  return received(scope);
}

const input = (form: HTMLFormElement, name: string): HTMLInputElement =>
  form.querySelector<HTMLInputElement>(`[name="${name}"]`)!;

describe('<form ws-send>', () => {
  it('with json sends an object of the fields (repeated names as arrays, the submitter included) and resets the form', async () => {
    const { element, scope } = await connection({ json: true });
    const form = addForm(
      element,
      `<input type="hidden" name="type" value="chat">
       <input name="text">
       <select name="room"><option>lobby</option><option>ops</option></select>
       <input type="checkbox" name="tags" value="a"><input type="checkbox" name="tags" value="b">
       <input type="checkbox" name="tags" value="c">
       <button name="action" value="draft">Draft</button>
       <button name="action" value="post">Post</button>`,
    );
    await statusBecomes(element, 'open');
    input(form, 'text').value = 'two words';
    form.querySelector('select')!.value = 'ops';
    for (const box of form.querySelectorAll<HTMLInputElement>('[name=tags]')) box.checked = box.value !== 'b';

    const echo = nextEvent<MessageEvent>(element, 'message');
    form.requestSubmit(form.querySelector<HTMLButtonElement>('button[value=post]'));
    const expected = { type: 'chat', text: 'two words', room: 'ops', tags: ['a', 'c'], action: 'post' };
    expect((await echo).data).to.deep.equal(expected);
    expect((await received(scope)).map((frame) => JSON.parse(frame) as unknown)).to.deep.equal([expected]);
    expect(submits).to.deep.equal([{ form, cancelled: true }]);

    expect(input(form, 'text').value).to.equal('');
    expect(form.querySelector('select')!.value).to.equal('lobby');
    expect([...form.querySelectorAll<HTMLInputElement>('[name=tags]')].map((box) => box.checked)).to.deep.equal([
      false,
      false,
      false,
    ]);
    expect(input(form, 'type').value).to.equal('chat');
  });

  it('without json sends URL-encoded text', async () => {
    const { element, scope } = await connection();
    const form = addForm(element, '<input name="a" value="1"><input name="b"><input name="b" value="&">');
    await statusBecomes(element, 'open');
    form.querySelectorAll('input')[1]!.value = 'two words';
    const echo = nextEvent<MessageEvent>(element, 'message');
    form.requestSubmit();
    expect((await echo).data).to.equal('a=1&b=two+words&b=%26');
    expect(await received(scope)).to.deep.equal(['a=1&b=two+words&b=%26']);
  });

  it('queues the data while reconnecting, resets the form, and sends it once on open', async () => {
    const { element, scope } = await connection({ json: true, 'retry-delay': '50', 'retry-jitter': '0' });
    const form = addForm(element, '<input name="text"><button>Send</button>');
    await statusBecomes(element, 'open');
    // Refused for a while, so the submit lands in a real `reconnecting`, not in a 50 ms gap.
    await server(scope, 'refuse', { ms: 600 });
    const reconnecting = statusBecomes(element, 'reconnecting');
    await server(scope, 'kill');
    await reconnecting;

    input(form, 'text').value = 'while away';
    const reopened = nextEvent(element, 'open');
    form.querySelector('button')!.click();
    expect(element.queued).to.equal(1);
    expect(input(form, 'text').value).to.equal('');
    expect(submits).to.deep.equal([{ form, cancelled: true }]);
    expect(await received(scope)).to.deep.equal([]);

    await reopened;
    expect(element.queued).to.equal(0);
    expect(await flushed(element, scope)).to.deep.equal(['{"text":"while away"}', MARKER]);
  });

  it('with queue-limit="0" while not open: error not-open with the form on error.data, values kept, nothing sent', async () => {
    const { element, scope } = await connection({ manual: true, 'queue-limit': '0' });
    const form = addForm(element, '<input name="text"><button>Send</button>');
    input(form, 'text').value = 'keep me';
    const error = nextEvent<ErrorEvent>(element, 'error');
    form.requestSubmit();
    const event = await error;
    expect(event).to.be.instanceOf(ErrorEvent);
    expect(event.bubbles).to.equal(false);
    expect(event.message).to.be.a('string').and.not.equal('');
    const cause = event.error as WsConnectionError;
    expect(cause.code).to.equal('not-open');
    expect(cause.data).to.equal(form);
    expect(event.message).to.equal(cause.message);
    expect(submits).to.deep.equal([{ form, cancelled: true }]);
    expect(input(form, 'text').value).to.equal('keep me');
    expect(element.queued).to.equal(0);

    element.connect();
    await nextEvent(element, 'open');
    expect(await flushed(element, scope)).to.deep.equal([MARKER]);
  });

  it('with a full queue: error queue-full, values kept, the queue as it was', async () => {
    const { element } = await connection({ manual: true, 'queue-limit': '1' });
    const form = addForm(element, '<input name="text">');
    element.send('first');
    input(form, 'text').value = 'keep me';
    const error = nextEvent<ErrorEvent>(element, 'error');
    form.requestSubmit();
    const cause = (await error).error as WsConnectionError;
    expect(cause.code).to.equal('queue-full');
    expect(cause.data).to.equal(form);
    expect(input(form, 'text').value).to.equal('keep me');
    expect(element.queued).to.equal(1);
  });

  it('with a file chosen: error serialize, nothing sent, values kept', async () => {
    const { element, scope } = await connection({ json: true });
    const form = addForm(element, '<input name="text"><input type="file" name="upload">');
    await statusBecomes(element, 'open');
    input(form, 'text').value = 'see attached';
    // DataTransfer is the one way to build a FileList; it sets input.files in Chromium, Firefox and WebKit alike.
    const transfer = new DataTransfer();
    transfer.items.add(new File(['hello'], 'hello.txt', { type: 'text/plain' }));
    input(form, 'upload').files = transfer.files;
    expect(input(form, 'upload').files).to.have.length(1);

    const error = nextEvent<ErrorEvent>(element, 'error');
    form.requestSubmit();
    const cause = (await error).error as WsConnectionError;
    expect(cause.code).to.equal('serialize');
    expect(cause.data).to.equal(form);
    expect(submits).to.deep.equal([{ form, cancelled: true }]);
    expect(input(form, 'text').value).to.equal('see attached');
    expect(input(form, 'upload').files![0]!.name).to.equal('hello.txt');
    expect(await flushed(element, scope)).to.deep.equal([MARKER]);
  });

  it('sends a form whose file input has nothing chosen, without that field', async () => {
    const { element, scope } = await connection({ json: true });
    const form = addForm(element, '<input name="text" value="no file"><input type="file" name="upload">');
    await statusBecomes(element, 'open');
    const echo = nextEvent<MessageEvent>(element, 'message');
    form.requestSubmit();
    expect((await echo).data).to.deep.equal({ text: 'no file' });
    expect(await received(scope)).to.deep.equal(['{"text":"no file"}']);
  });

  it('leaves a submit alone that a listener on the form already cancelled', async () => {
    const { element, scope } = await connection();
    const form = addForm(element, '<input name="text" value="mine">');
    await statusBecomes(element, 'open');
    const errors = record(element, 'error');
    const heard = nextEvent<SubmitEvent>(form, 'submit');
    form.addEventListener('submit', (event) => event.preventDefault());
    form.requestSubmit();
    expect((await heard).defaultPrevented).to.equal(true);
    expect(submits).to.deep.equal([{ form, cancelled: true }]);
    expect(input(form, 'text').value).to.equal('mine');
    expect(errors).to.deep.equal([]);
    expect(await flushed(element, scope)).to.deep.equal([MARKER]);
  });

  it('leaves alone a form without ws-send', async () => {
    const { element, scope } = await connection();
    const form = addForm(element, '<input name="text" value="plain">', '');
    await statusBecomes(element, 'open');
    const heard = nextEvent<SubmitEvent>(form, 'submit');
    // Cancelled by the page after the element had its chance, so nothing navigates.
    const cancel = (event: Event): void => event.preventDefault();
    document.addEventListener('submit', cancel);
    try {
      form.requestSubmit();
      await heard;
    } finally {
      document.removeEventListener('submit', cancel);
    }
    expect(submits).to.deep.equal([{ form, cancelled: false }]);
    expect(input(form, 'text').value).to.equal('plain');
    expect(await flushed(element, scope)).to.deep.equal([MARKER]);
  });

  it('a form in a nested <ws-connection> is sent by the inner element only', async () => {
    const outer = await connection({ name: 'outer' });
    const inner = await connection({}, { attach: false, name: 'inner' });
    outer.element.append(inner.element);
    const form = addForm(inner.element, '<input name="text" value="inner">');
    await Promise.all([statusBecomes(outer.element, 'open'), statusBecomes(inner.element, 'open')]);
    const outerErrors = record(outer.element, 'error');

    const echo = nextEvent<MessageEvent>(inner.element, 'message');
    form.requestSubmit();
    expect((await echo).data).to.equal('text=inner');
    expect(submits).to.deep.equal([{ form, cancelled: true }]);
    expect(await received(inner.scope)).to.deep.equal(['text=inner']);
    expect(await flushed(outer.element, outer.scope)).to.deep.equal([MARKER]);
    expect(outerErrors).to.deep.equal([]);
  });

  it('sends on Enter in a field, on a button click and on requestSubmit(), and never navigates', async () => {
    const { element, scope } = await connection({ json: true });
    const form = addForm(
      element,
      '<input name="text"><input name="other"><button name="via" value="button">Send</button>',
    );
    await statusBecomes(element, 'open');
    const sinkUrl = sink.contentWindow!.location.href;

    const sendBy = async (submit: () => unknown, text: string): Promise<unknown> => {
      input(form, 'text').value = text;
      const echo = nextEvent<MessageEvent>(element, 'message');
      await submit();
      return (await echo).data;
    };
    // Implicit submission: Enter in a text field activates the form's default (first) submit button.
    const byEnter = await sendBy(async () => {
      input(form, 'other').focus();
      await sendKeys({ press: 'Enter' });
    }, 'by enter');
    expect(byEnter).to.deep.equal({ text: 'by enter', other: '', via: 'button' });
    const byClick = await sendBy(() => form.querySelector('button')!.click(), 'by click');
    expect(byClick).to.deep.equal({ text: 'by click', other: '', via: 'button' });
    const byRequest = await sendBy(() => form.requestSubmit(), 'by requestSubmit');
    expect(byRequest).to.deep.equal({ text: 'by requestSubmit', other: '' });

    expect(submits.map((submit) => submit.cancelled)).to.deep.equal([true, true, true]);
    expect((await received(scope)).length).to.equal(3);
    expect(sink.contentWindow!.location.href).to.equal(sinkUrl);
    expect(location.pathname).to.not.contain('nowhere');
  });

  it('listens only while attached', async () => {
    const { element } = await connection({ manual: true });
    const form = addForm(element, '<input name="text" value="queued">');
    // A detached form never fires submit by itself (it cannot navigate), so the event is made by hand.
    const submit = (): boolean => form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
    expect(submit()).to.equal(false);
    expect(element.queued).to.equal(1);
    element.remove();
    expect(submit()).to.equal(true);
    expect(element.queued).to.equal(1);
    document.body.append(element);
    expect(submit()).to.equal(false);
    expect(element.queued).to.equal(2);
  });
});
