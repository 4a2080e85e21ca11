// A tiny ONNX writer: the subset of onnx.proto needed to describe a graph of standard operators with constant
// weights, kept inline or in an external-data file as onnx saves graphs over 2 GB. Shoebox builds the face
// detector's graph from face-api's weights with it, and the tests their fixture models.
// Field numbers are the ones in onnx/onnx.proto (proto2), so onnxruntime reads the result like any exported
// model. Opset 13, IR version 8.
import protobuf from 'protobufjs';

const ONNX_SUBSET = `
syntax = "proto2";
package onnx;

message AttributeProto {
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional int32 type = 20;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}

message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  // DataLocation: 0 DEFAULT (raw_data), 1 EXTERNAL.
  optional int32 data_location = 14;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

const ModelProto = protobuf.parse(ONNX_SUBSET).root.lookupType('onnx.ModelProto');

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type ElemType = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export type AttrValue = { f: number } | { i: number } | { s: string } | { floats: number[] } | { ints: number[] };

export interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrValue>;
}

/** A graph input or output: a dimension is a number (fixed) or a name (dynamic, e.g. `batch_size`). */
export interface ValueInfo {
  name: string;
  type: ElemType;
  shape: (number | string)[];
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Initializer[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

export const floats = (name: string, dims: number[], data: ArrayLike<number>): Initializer => {
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new Error(`${name}: ${data.length} values for shape [${dims.join(',')}]`);
  return { name, dims, data: Float32Array.from(data) };
};

export const int64s = (name: string, dims: number[], data: readonly number[]): Initializer => ({
  name,
  dims,
  data: BigInt64Array.from(data.map((v) => BigInt(v))),
});

function attribute(name: string, value: AttrValue): Record<string, unknown> {
  if ('f' in value) return { name, type: AttrType.FLOAT, f: value.f };
  if ('i' in value) return { name, type: AttrType.INT, i: value.i };
  if ('s' in value) return { name, type: AttrType.STRING, s: Buffer.from(value.s, 'utf8') };
  if ('floats' in value) return { name, type: AttrType.FLOATS, floats: value.floats };
  return { name, type: AttrType.INTS, ints: value.ints };
}

const valueInfo = (v: ValueInfo): Record<string, unknown> => ({
  name: v.name,
  type: {
    tensorType: {
      elemType: v.type,
      shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});

const bytesOf = (t: Initializer): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/** Where an initializer's bytes sit in the external-data file. */
interface ExternalSlot {
  location: string;
  offset: number;
  length: number;
}

// raw_data is little-endian, which is what typed arrays hold on every platform Node runs on here.
const initializer = (t: Initializer, external?: ExternalSlot): Record<string, unknown> => ({
  name: t.name,
  dims: t.dims,
  dataType: t.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64,
  ...(external
    ? {
        dataLocation: 1,
        externalData: [
          { key: 'location', value: external.location },
          { key: 'offset', value: String(external.offset) },
          { key: 'length', value: String(external.length) },
        ],
      }
    : { rawData: bytesOf(t) }),
});

/** Serialises a graph as an ONNX model (IR 8, default-domain opset 13). */
export function encodeModel(graph: Graph, producer = 'shoebox'): Uint8Array {
  return encode(graph, producer, new Map());
}

/**
 * Serialises a graph with the initializers named in `external` stored in one external-data file `location`
 * (a name relative to the model's folder), the way onnx saves a model over protobuf's 2 GB limit.
 */
export function encodeModelWithExternalData(
  graph: Graph,
  location: string,
  external: readonly string[],
  producer = 'shoebox',
): { model: Uint8Array; data: Uint8Array } {
  const slots = new Map<string, ExternalSlot>();
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of external) {
    const tensor = graph.initializers.find((t) => t.name === name);
    if (!tensor) throw new Error(`no initializer ${name} to store externally`);
    const bytes = bytesOf(tensor);
    slots.set(name, { location, offset, length: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  }
  return { model: encode(graph, producer, slots), data: Buffer.concat(chunks) };
}

function encode(graph: Graph, producer: string, external: ReadonlyMap<string, ExternalSlot>): Uint8Array {
  const message = ModelProto.fromObject({
    irVersion: 8,
    producerName: producer,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: graph.name,
      node: graph.nodes.map((n, index) => ({
        name: `${n.op}_${index}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: graph.initializers.map((t) => initializer(t, external.get(t.name))),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  });
  return ModelProto.encode(message).finish();
}

/** HWIO (tf conv2d filters) → OIHW (ONNX Conv weights): TensorFlow graphs translated to ONNX (faces). */
export function hwioToOihw(shape: number[], data: Float32Array): { dims: number[]; data: Float32Array } {
  const [h, w, i, o] = shape as [number, number, number, number];
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < i; c++) for (let k = 0; k < o; k++) out[((k * i + c) * h + y) * w + x] = data[((y * w + x) * i + c) * o + k]!;
  return { dims: [o, i, h, w], data: out };
}
