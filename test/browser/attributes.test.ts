import { expect } from '@open-wc/testing';
import { WsConnection } from '../../src/ws-connection.js';
import { connection, warningsDuring } from './helpers.js';

const bad: [attribute: string, value: string, property: keyof WsConnection, fallback: unknown][] = [
  ['retry-delay', 'soon', 'retryDelay', 1000],
  ['retry-delay', '-5', 'retryDelay', 1000],
  ['retry-delay', '', 'retryDelay', 1000],
  ['retry-max-delay', '1e12', 'retryMaxDelay', 30000],
  ['retry-factor', '0.5', 'retryFactor', 2],
  ['retry-jitter', '1.5', 'retryJitter', 0.5],
  ['max-retries', '2.5', 'maxRetries', Infinity],
  ['max-retries', '-1', 'maxRetries', Infinity],
  ['connect-timeout', 'never', 'connectTimeout', 10000],
  ['min-uptime', '-1', 'minUptime', 5000],
  ['heartbeat-interval', 'x', 'heartbeatInterval', 0],
  ['heartbeat-timeout', '0', 'heartbeatTimeout', 5000],
  ['queue-limit', '3.5', 'queueLimit', 1000],
  ['binary-type', 'text', 'binaryType', 'blob'],
  ['stop-codes', '1008 banana', 'stopCodes', '1002 1003 1007 1008 1009 1010'],
  ['stop-codes', '4099-4000', 'stopCodes', '1002 1003 1007 1008 1009 1010'],
];

describe('attributes and properties', () => {
  it('has the contract defaults', async () => {
    const element = new WsConnection();
    expect({
      url: element.url,
      protocols: element.protocols,
      binaryType: element.binaryType,
      manual: element.manual,
      json: element.json,
      retryDelay: element.retryDelay,
      retryMaxDelay: element.retryMaxDelay,
      retryFactor: element.retryFactor,
      retryJitter: element.retryJitter,
      maxRetries: element.maxRetries,
      connectTimeout: element.connectTimeout,
      minUptime: element.minUptime,
      heartbeatInterval: element.heartbeatInterval,
      heartbeatMessage: element.heartbeatMessage,
      heartbeatReply: element.heartbeatReply,
      heartbeatTimeout: element.heartbeatTimeout,
      queueLimit: element.queueLimit,
      stopCodes: element.stopCodes,
      urlProvider: element.urlProvider,
      status: element.status,
      socket: element.socket,
      attempt: element.attempt,
      queued: element.queued,
    }).to.deep.equal({
      url: '',
      protocols: [],
      binaryType: 'blob',
      manual: false,
      json: false,
      retryDelay: 1000,
      retryMaxDelay: 30000,
      retryFactor: 2,
      retryJitter: 0.5,
      maxRetries: Infinity,
      connectTimeout: 10000,
      minUptime: 5000,
      heartbeatInterval: 0,
      heartbeatMessage: 'ping',
      heartbeatReply: 'pong',
      heartbeatTimeout: 5000,
      queueLimit: 1000,
      stopCodes: '1002 1003 1007 1008 1009 1010',
      urlProvider: null,
      status: 'closed',
      socket: null,
      attempt: 0,
      queued: 0,
    });
  });

  for (const [attribute, value, property, fallback] of bad) {
    it(`warns once and falls back for ${attribute}="${value}"`, async () => {
      const { element } = await connection({ manual: true });
      const warnings = await warningsDuring(() => element.setAttribute(attribute, value));
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain(attribute).and.contain(`"${value}"`);
      expect(element[property]).to.deep.equal(fallback);
    });
  }

  it('warns for a bad property value too, and never throws', async () => {
    const { element } = await connection({ manual: true });
    const warnings = await warningsDuring(() => {
      element.retryDelay = Number.NaN;
      element.retryJitter = -1;
    });
    expect(warnings).to.have.length(2);
    expect(element.retryDelay).to.equal(1000);
    expect(element.retryJitter).to.equal(0.5);
  });

  it('maps kebab-case attributes to camelCase properties and reflects properties back', async () => {
    const { element } = await connection({ manual: true, 'retry-delay': '250', 'max-retries': '3' });
    expect(element.retryDelay).to.equal(250);
    expect(element.maxRetries).to.equal(3);
    element.retryMaxDelay = 9000;
    expect(element.getAttribute('retry-max-delay')).to.equal('9000');
    element.protocols = ['a', 'b'];
    expect(element.getAttribute('protocols')).to.equal('a b');
    element.json = true;
    expect(element.hasAttribute('json')).to.equal(true);
    element.maxRetries = Infinity;
    expect(element.hasAttribute('max-retries')).to.equal(false);
    element.stopCodes = '1008, 4000-4099';
    expect(element.stopCodes).to.equal('1008 4000-4099');
    element.removeAttribute('retry-delay');
    expect(element.retryDelay).to.equal(1000);
  });

  it('accepts the edges of each range without a warning', async () => {
    const { element } = await connection({ manual: true });
    const warnings = await warningsDuring(() => {
      element.setAttribute('retry-delay', '0');
      element.setAttribute('retry-factor', '1');
      element.setAttribute('retry-jitter', '0');
      element.setAttribute('retry-jitter', '1');
      element.setAttribute('max-retries', '0');
      element.setAttribute('queue-limit', '0');
      element.setAttribute('stop-codes', '');
    });
    expect(warnings).to.deep.equal([]);
    expect(element.stopCodes).to.equal('');
  });
});
