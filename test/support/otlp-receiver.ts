import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OTLP/HTTP trace receiver on loopback, as a collector is one: POST /v1/traces with an
 * ExportTraceServiceRequest in protobuf (`application/x-protobuf`) or JSON (`application/json`),
 * decoded here (the protobuf by its wire format, for the fields tests look at) into plain spans.
 */

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
  /** 0 unset, 1 ok, 2 error */
  statusCode: number;
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  spans: ReceivedSpan[];
  /** The content types of the exports received, in order. */
  contentTypes: string[];
  /** Resolves with the spans once `check` holds for them (checked on every export). */
  waitFor(check: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const type = req.headers['content-type'] ?? '';
      contentTypes.push(type);
      try {
        spans.push(...(type.startsWith('application/json') ? fromJson(body) : fromProtobuf(body)));
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
        return;
      }
      // An empty ExportTraceServiceResponse: all accepted.
      if (type.startsWith('application/json'))
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    waitFor(check, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (!check(spans)) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(spans);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(`not received in ${timeoutMs} ms; spans: ${JSON.stringify(spans.map((s) => s.name))}`),
          );
        }, timeoutMs);
        waiters.add(wake);
        wake();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// ---- JSON (OTLP/JSON: ids in hex, 64-bit integers as strings or numbers) ---------------------------

interface JsonValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonValue[] };
}
type JsonAttributes = { key: string; value: JsonValue }[] | undefined;

function jsonValue(v: JsonValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(jsonValue);
  return null;
}

const jsonAttributes = (list: JsonAttributes) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, jsonValue(value)]));

function fromJson(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceSpans?: {
      resource?: { attributes?: JsonAttributes };
      scopeSpans?: {
        spans?: {
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          kind?: number;
          startTimeUnixNano: string | number;
          endTimeUnixNano: string | number;
          attributes?: JsonAttributes;
          links?: { traceId: string; spanId: string }[];
          status?: { code?: number };
        }[];
      }[];
    }[];
  };
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const resource = jsonAttributes(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind ?? 0,
        startNs: BigInt(s.startTimeUnixNano),
        endNs: BigInt(s.endTimeUnixNano),
        attributes: jsonAttributes(s.attributes),
        links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
        statusCode: s.status?.code ?? 0,
        resource,
      })),
    );
  });
}

// ---- protobuf (the wire format: varint, fixed64, length-delimited, fixed32) ---------------------------

type Field = bigint | Buffer;
type Message = Map<number, Field[]>;

function decode(buf: Buffer): Message {
  const fields: Message = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let value: Field;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = buf.readBigUInt64LE(pos);
      pos += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      value = buf.subarray(pos, pos + length);
      pos += length;
    } else if (wire === 5) {
      value = BigInt(buf.readUInt32LE(pos));
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const bytes = (m: Message, n: number) => (m.get(n)?.[0] as Buffer | undefined) ?? Buffer.alloc(0);
const messages = (m: Message, n: number) => (m.get(n) ?? []).map((b) => decode(b as Buffer));
const num = (m: Message, n: number) => (m.get(n)?.[0] as bigint | undefined) ?? 0n;

function anyValue(m: Message): unknown {
  if (m.has(1)) return bytes(m, 1).toString('utf8');
  if (m.has(2)) return num(m, 2) === 1n;
  if (m.has(3)) return Number(BigInt.asIntN(64, num(m, 3)));
  if (m.has(4)) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(num(m, 4));
    return b.readDoubleLE(0);
  }
  if (m.has(5)) return messages(messages(m, 5)[0] ?? new Map(), 1).map(anyValue);
  return null;
}

const protoAttributes = (list: Message[]) =>
  Object.fromEntries(list.map((kv) => [bytes(kv, 1).toString('utf8'), anyValue(decode(bytes(kv, 2)))]));

function fromProtobuf(body: Buffer): ReceivedSpan[] {
  return messages(decode(body), 1).flatMap((rs) => {
    const resource = protoAttributes(messages(messages(rs, 1)[0] ?? new Map(), 1));
    return messages(rs, 2).flatMap((ss) =>
      messages(ss, 2).map((s) => ({
        traceId: bytes(s, 1).toString('hex'),
        spanId: bytes(s, 2).toString('hex'),
        parentSpanId: bytes(s, 4).toString('hex'),
        name: bytes(s, 5).toString('utf8'),
        kind: Number(num(s, 6)),
        startNs: num(s, 7),
        endNs: num(s, 8),
        attributes: protoAttributes(messages(s, 9)),
        links: messages(s, 13).map((l) => ({
          traceId: bytes(l, 1).toString('hex'),
          spanId: bytes(l, 2).toString('hex'),
        })),
        statusCode: Number(num(messages(s, 15)[0] ?? new Map(), 3)),
        resource,
      })),
    );
  });
}
