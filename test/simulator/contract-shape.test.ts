import { describe, expect, it } from 'vitest';
import { compareHeaders, compareShape } from './contract/shape.ts';

describe('contract shape comparison', () => {
  it('accepts equal shapes with different values', () => {
    expect(compareShape({ a: 1, b: ['x'], c: null, d: { e: true } }, { a: 2, b: ['y', 'z'], c: null, d: { e: false } })).toEqual([]);
  });

  it('reports missing and unexpected keys and type changes, with paths', () => {
    expect(compareShape({ a: 1, b: { c: 'x' } }, { a: '1', b: { d: 'x' } })).toEqual([
      '$.a: expected number, got string', '$.b.c: missing', '$.b.d: unexpected',
    ]);
    expect(compareShape({ x: null }, { x: 'now' })).toEqual(['$.x: expected null, got string']);
  });

  it('pairs items by id when the two sides share ids, else by position', () => {
    const e = [{ id: 1, r: null }, { id: 2, r: 'why' }];
    expect(compareShape(e, [{ id: 2, r: 'because' }, { id: 1, r: null }])).toEqual([]);
    expect(compareShape(e, [{ id: 1, r: null }])).toEqual(['$: missing item id 2']);
    expect(compareShape([{ id: 'a', k: 1 }], [{ id: 'b', k: 1 }, { id: 'c', k: 2 }])).toEqual([]);
    expect(compareShape([], [{ id: 1 }])).toEqual(['$: expected 0 items, got 1']);
  });

  it('compares header presence, and content type and microversion values', () => {
    const h = new Headers({ 'content-type': 'application/json', 'openstack-api-version': 'compute 2.1' });
    expect(compareHeaders({ 'content-type': 'application/json', 'openstack-api-version': 'compute 2.1' }, h)).toEqual([]);
    expect(compareHeaders({ 'content-type': 'application/json; charset=UTF-8' }, h)).toEqual([
      'header content-type: expected "application/json; charset=UTF-8", got "application/json"',
      'header openstack-api-version: expected absent, got compute 2.1',
    ]);
  });
});
