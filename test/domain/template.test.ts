import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { sampleEvent, TRIGGERS } from '../../src/domain/event.js';
import { jsonErrorOffset } from '../../src/domain/json-position.js';
import { renderBody, rewriteHandlebarsPaths, TemplateError } from '../../src/domain/template.js';

const templatesDir = new URL('../fixtures/templates/', import.meta.url);
const guideTemplates = readdirSync(templatesDir).filter((f) => f.endsWith('.liquid'));
const event = sampleEvent('RequestCreated');

describe('body templates', () => {
  test('the guide templates are all there', () => {
    expect(guideTemplates.length).toBeGreaterThanOrEqual(5);
  });

  test.each(guideTemplates)(
    '%s renders valid JSON for every trigger, keeping the quote and newline',
    async (file) => {
      const source = readFileSync(new URL(file, templatesDir), 'utf8');
      for (const trigger of TRIGGERS) {
        const body = await renderBody(source, sampleEvent(trigger));
        const parsed = JSON.parse(body);
        const text = JSON.stringify(parsed);
        expect(text).toContain(trigger);
        // Wherever the template interpolates the requester or justification, the value survives intact.
        if (source.includes('requester.name')) expect(text).toContain('Dana O\\"Brien');
        if (source.includes('justification')) expect(text).toContain('INC-311\\nneed read access');
      }
    },
  );

  test('datadog: an escaped JSON document inside a string field stays a valid outer body', async () => {
    const source = readFileSync(new URL('datadog-logs.liquid', templatesDir), 'utf8');
    const [entry] = JSON.parse(await renderBody(source, event)) as { message: string }[];
    expect(entry?.message).toContain('"event_type": "RequestCreated"');
    expect(entry?.message).toContain('"integration": "prod-orders-db"');
  });

  test('Handlebars segment paths render exactly as their Liquid equivalents', async () => {
    const pairs: [string, string][] = [
      ['{{data.access_groups.[0].integration.name}}', '{{data.access_groups[0].integration.name}}'],
      [
        '{{data.access_groups.[0].[resource_types].[0].name}}',
        '{{data.access_groups[0].resource_types[0].name}}',
      ],
      [
        '{{ data.access_groups.[1].access_units.[0].permission.name }}',
        '{{ data.access_groups[1].access_units[0].permission.name }}',
      ],
    ];
    for (const [handlebars, liquid] of pairs) {
      const a = await renderBody(`{"v": "${handlebars}"}`, event);
      const b = await renderBody(`{"v": "${liquid}"}`, event);
      expect(a).toBe(b);
      expect(JSON.parse(a).v).not.toBe('');
    }
    expect(rewriteHandlebarsPaths('{{ a.[0].[b c] }} {% if x.[0] %}')).toBe(
      '{{ a[0]["b c"] }} {% if x.[0] %}',
    );
  });

  test('values are JSON-string-escaped; json emits raw JSON; objects without json become JSON text', async () => {
    const scope = { data: { s: 'a"b\\c\nd\u0001', n: 3, o: { k: 'v"' }, list: [1, 'x'] } };
    const body = await renderBody(
      '{"s": "{{ data.s }}", "n": {{ data.n }}, "raw": {{ data.o | json }}, "text": "{{ data.o }}", "l": {{ data.list | json }}}',
      scope,
    );
    expect(JSON.parse(body)).toEqual({
      s: 'a"b\\c\nd\u0001',
      n: 3,
      raw: { k: 'v"' },
      text: '{"k":"v\\""}',
      l: [1, 'x'],
    });
  });

  test('a hostile value cannot inject JSON structure', async () => {
    const scope = { data: { name: '", "admin": true, "x": "' } };
    const body = JSON.parse(await renderBody('{"name": "{{ data.name }}"}', scope));
    expect(Object.keys(body)).toEqual(['name']);
    expect(body.name).toBe('", "admin": true, "x": "');
  });

  test('an empty template renders no body', async () => {
    expect(await renderBody('   ', event)).toBe('');
  });

  test('invalid JSON after rendering is a TemplateError naming the line', async () => {
    const err = await renderBody('{\n  "a": 1,\n  "b": {{ data.missing }}\n}', event).catch((e) => e);
    expect(err).toBeInstanceOf(TemplateError);
    // The empty interpolation leaves `"b": ` with no value, so the parser stops at the `}` below it.
    expect(err.message).toBe('rendered body is not valid JSON at line 4, column 1: }');
    expect(err.line).toBe(4);
  });

  test('parse errors and unknown filters are TemplateErrors with a line', async () => {
    const parse = await renderBody('{"a": 1}\n{% if %}', event).catch((e) => e);
    expect(parse).toBeInstanceOf(TemplateError);
    expect(parse.line).toBe(2);
    const filter = await renderBody('{"a": "{{ data.id | shout }}"}', event).catch((e) => e);
    expect(filter.message).toMatch(/undefined filter: shout/);
  });

  test('templates cannot read files or run forever', async () => {
    const include = await renderBody('{% include "/etc/passwd" %}', event).catch((e) => e);
    expect(include).toBeInstanceOf(TemplateError);
    const loop = await renderBody(
      '{"a": "{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}"}',
      event,
    ).catch((e) => e);
    expect(loop).toBeInstanceOf(TemplateError);
  });
});

describe('jsonErrorOffset', () => {
  test.each([
    ['{"a": 1}', -1],
    ['[1, 2, {"b": [true, false, null, "x\\n\\u00e9"]}]', -1],
    ['  -12.5e3 ', -1],
    ['{"a": }', 6],
    ['{"a": 1,}', 8],
    ['{"a": "b\nc"}', 8],
    ['[1 2]', 3],
    ['{"a": tru}', 6],
    ['{"a": 1} x', 9],
    ['"\\x"', 2],
    ['{"a": 01}', 7],
    ['', 0],
  ])('%j → %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    if (offset === -1) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});
