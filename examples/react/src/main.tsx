/**
 * A chat box over `<ws-connection>` through the React wrapper: the status and
 * the received messages are React state, fed by the element's events; the
 * form sends through a ref. The server comes from `?ws=` (a WebSocket URL).
 */
import { StrictMode, useLayoutEffect, useRef, useState, type SubmitEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { WsConnection, type Status, type WsConnectionElement } from 'ws-connection/react';

const url = new URLSearchParams(location.search).get('ws') ?? '';

interface Received {
  id: number;
  text: string;
}

function App() {
  const connection = useRef<WsConnectionElement>(null);
  const [status, setStatus] = useState<Status>('closed');
  const [messages, setMessages] = useState<Received[]>([]);
  const [draft, setDraft] = useState('');
  const nextId = useRef(0);

  // The wrapper sets `url` and adds listeners in its own layout effect, and setting `url` may already
  // have moved the element to `connecting`: read the status it has now (children's layout effects run first).
  useLayoutEffect(() => {
    if (connection.current) setStatus(connection.current.status);
  }, []);

  const send = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft === '') return;
    // Queued by the element while not open, sent as soon as it is.
    connection.current?.send(draft);
    setDraft('');
  };

  return (
    <main>
      <h1>ws-connection + React</h1>
      <WsConnection
        ref={connection}
        url={url}
        onStatusChange={(event) => setStatus(event.detail.status)}
        onMessage={(event) => {
          const received = { id: nextId.current++, text: String(event.data) };
          setMessages((list) => [...list, received]);
        }}
      >
        <span slot="reconnecting">Reconnecting…</span>
      </WsConnection>
      <p>
        Status: <output id="status">{status}</output>
      </p>
      <form onSubmit={send}>
        <input id="message" aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button id="send" type="submit">
          Send
        </button>
      </form>
      <ul id="messages">
        {messages.map((message) => (
          <li key={message.id}>{message.text}</li>
        ))}
      </ul>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
