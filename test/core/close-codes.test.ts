/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { includesCloseCode, parseCloseCodes } from '../../src/core/close-codes.js';
import { defaultOptions } from '../../src/core/options.js';

describe('parseCloseCodes', () => {
  it('parses single codes', () => {
    expect(parseCloseCodes('1008')).to.deep.equal([[1008, 1008]]);
    expect(parseCloseCodes('1000 4999')).to.deep.equal([
      [1000, 1000],
      [4999, 4999],
    ]);
  });

  it('parses inclusive ranges mixed with codes', () => {
    expect(parseCloseCodes('1008 4000-4099')).to.deep.equal([
      [1008, 1008],
      [4000, 4099],
    ]);
  });

  it('accepts a range of one code', () => {
    expect(parseCloseCodes('4000-4000')).to.deep.equal([[4000, 4000]]);
  });

  it('accepts commas, spaces, tabs, newlines and runs of them as separators', () => {
    const expected = [
      [1002, 1002],
      [1003, 1003],
      [4000, 4010],
    ];
    expect(parseCloseCodes('1002,1003,4000-4010')).to.deep.equal(expected);
    expect(parseCloseCodes('1002, 1003 ,4000-4010')).to.deep.equal(expected);
    expect(parseCloseCodes('  1002\t1003\n4000-4010  ')).to.deep.equal(expected);
    expect(parseCloseCodes('1002,,, 1003  ,  4000-4010,')).to.deep.equal(expected);
  });

  it('parses the contract default list to the default stop codes', () => {
    const ranges = parseCloseCodes('1002 1003 1007 1008 1009 1010');
    expect(ranges).to.not.equal(undefined);
    for (let code = 1000; code <= 1015; code++) {
      expect(includesCloseCode(ranges!, code), `code ${code}`).to.equal(
        includesCloseCode(defaultOptions.stopCodes, code),
      );
    }
  });

  it('gives [] for an empty or blank string', () => {
    expect(parseCloseCodes('')).to.deep.equal([]);
    expect(parseCloseCodes('   ')).to.deep.equal([]);
    expect(parseCloseCodes(' , ,')).to.deep.equal([]);
  });

  it('gives undefined when any entry is not a close code', () => {
    for (const bad of [
      'abc',
      '1008 abc',
      '1008 x 4000',
      '999',
      '0999',
      '5000',
      '10080',
      '100',
      '1008.5',
      '-1008',
      '1e3',
      '1008-',
      '-4000',
      '1000-5000',
      '0999-1005',
      '4000--4010',
      '4000-4010-4020',
      '4000 - 4010',
      '4000–4010', // en dash
    ]) {
      expect(parseCloseCodes(bad), JSON.stringify(bad)).to.equal(undefined);
    }
  });

  it('gives undefined for a backwards range', () => {
    expect(parseCloseCodes('4099-4000')).to.equal(undefined);
    expect(parseCloseCodes('1008 4001-4000')).to.equal(undefined);
  });
});

describe('includesCloseCode', () => {
  const ranges = parseCloseCodes('1008 4000-4099')!;

  it('matches single codes and both ends of ranges', () => {
    expect(includesCloseCode(ranges, 1008)).to.equal(true);
    expect(includesCloseCode(ranges, 4000)).to.equal(true);
    expect(includesCloseCode(ranges, 4050)).to.equal(true);
    expect(includesCloseCode(ranges, 4099)).to.equal(true);
  });

  it('does not match codes just outside', () => {
    expect(includesCloseCode(ranges, 1007)).to.equal(false);
    expect(includesCloseCode(ranges, 1009)).to.equal(false);
    expect(includesCloseCode(ranges, 3999)).to.equal(false);
    expect(includesCloseCode(ranges, 4100)).to.equal(false);
    expect(includesCloseCode(ranges, 1000)).to.equal(false);
  });

  it('matches nothing with an empty list', () => {
    expect(includesCloseCode([], 1008)).to.equal(false);
  });

  it('default stop codes are exactly 1002 1003 1007 1008 1009 1010', () => {
    const matched: number[] = [];
    for (let code = 1000; code <= 4999; code++) {
      if (includesCloseCode(defaultOptions.stopCodes, code)) matched.push(code);
    }
    expect(matched).to.deep.equal([1002, 1003, 1007, 1008, 1009, 1010]);
  });
});
