/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { resolveSocketUrl } from '../../src/core/socket-url.js';

describe('resolveSocketUrl', () => {
  it('keeps ws: and wss: URLs as they are', () => {
    expect(resolveSocketUrl('ws://example.com/live')).to.equal('ws://example.com/live');
    expect(resolveSocketUrl('wss://example.com:8443/a/b?x=1')).to.equal('wss://example.com:8443/a/b?x=1');
  });

  it('turns http: into ws: and https: into wss:', () => {
    expect(resolveSocketUrl('http://example.com/live')).to.equal('ws://example.com/live');
    expect(resolveSocketUrl('https://example.com/live?t=1')).to.equal('wss://example.com/live?t=1');
    expect(resolveSocketUrl('HTTPS://Example.COM/x')).to.equal('wss://example.com/x');
  });

  it('keeps a non-default port when changing the scheme', () => {
    expect(resolveSocketUrl('http://example.com:8080/x')).to.equal('ws://example.com:8080/x');
  });

  it('resolves a relative URL against the base', () => {
    expect(resolveSocketUrl('/live', 'https://example.com/app/page.html')).to.equal('wss://example.com/live');
    expect(resolveSocketUrl('live', 'http://example.com/app/page.html')).to.equal('ws://example.com/app/live');
    expect(resolveSocketUrl('../socket?x=1', 'https://example.com/app/sub/')).to.equal(
      'wss://example.com/app/socket?x=1',
    );
    expect(resolveSocketUrl('//other.example/live', 'https://example.com/')).to.equal('wss://other.example/live');
  });

  it('ignores the base for an absolute URL', () => {
    expect(resolveSocketUrl('ws://a.example/x', 'https://b.example/')).to.equal('ws://a.example/x');
  });

  it('gives undefined for other schemes', () => {
    for (const bad of [
      'ftp://example.com/x',
      'file:///tmp/x',
      'javascript:alert(1)',
      'data:text/plain,hi',
      'mailto:a@b.c',
    ]) {
      expect(resolveSocketUrl(bad, 'https://example.com/'), bad).to.equal(undefined);
    }
  });

  it('gives undefined for an unparsable URL', () => {
    expect(resolveSocketUrl('http://[::1')).to.equal(undefined);
    expect(resolveSocketUrl('ws://example.com:99999/')).to.equal(undefined);
    expect(resolveSocketUrl('https://example.com:port/')).to.equal(undefined);
    expect(resolveSocketUrl('not a url')).to.equal(undefined);
  });

  it('gives undefined for a relative URL with no base', () => {
    expect(resolveSocketUrl('/live')).to.equal(undefined);
    expect(resolveSocketUrl('live')).to.equal(undefined);
  });

  it('gives undefined when the base itself is not http(s)/ws(s)', () => {
    expect(resolveSocketUrl('/live', 'file:///home/index.html')).to.equal(undefined);
  });

  it('strips the fragment', () => {
    expect(resolveSocketUrl('wss://example.com/live#frag')).to.equal('wss://example.com/live');
    expect(resolveSocketUrl('https://example.com/live?x=1#frag')).to.equal('wss://example.com/live?x=1');
    expect(resolveSocketUrl('ws://example.com/live#')).to.equal('ws://example.com/live');
    expect(resolveSocketUrl('#only', 'https://example.com/page')).to.equal('wss://example.com/page');
  });
});
