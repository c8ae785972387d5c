"""Calls Keelson's Open Inference Protocol gRPC service with the stubs Debian's grpc_tools generated (python3-grpcio).

usage: oip_grpc_client.py HOST:PORT CALLS.json

CALLS.json is a list of {"rpc": NAME, "request": {...}, "metadata": {...}}: each request is the protobuf JSON of the
RPC's request message (field names as in the .proto). Prints a JSON list with one answer per call:
{"code": "OK", "response": {...}, "outputs": {name: [values]}} or {"code": "NOT_FOUND", "details": "..."}.
"outputs" decodes every output tensor with numpy, from raw_output_contents (little-endian) or typed contents.
"""
import json
import struct
import sys

import grpc
import numpy as np
from google.protobuf import json_format

import grpc_predict_v2_pb2 as pb
import grpc_predict_v2_pb2_grpc as rpc

REQUESTS = {
    "ServerLive": pb.ServerLiveRequest, "ServerReady": pb.ServerReadyRequest, "ServerMetadata": pb.ServerMetadataRequest,
    "ModelMetadata": pb.ModelMetadataRequest, "ModelReady": pb.ModelReadyRequest, "ModelInfer": pb.ModelInferRequest,
}

DTYPES = {
    "BOOL": np.bool_, "UINT8": "<u1", "UINT16": "<u2", "UINT32": "<u4", "UINT64": "<u8", "INT8": "<i1", "INT16": "<i2",
    "INT32": "<i4", "INT64": "<i8", "FP16": "<f2", "FP32": "<f4", "FP64": "<f8",
}

FIELDS = {
    "BOOL": "bool_contents", "INT8": "int_contents", "INT16": "int_contents", "INT32": "int_contents", "INT64": "int64_contents",
    "UINT8": "uint_contents", "UINT16": "uint_contents", "UINT32": "uint_contents", "UINT64": "uint64_contents",
    "FP32": "fp32_contents", "FP64": "fp64_contents", "BYTES": "bytes_contents",
}


def raw_values(datatype, data):
    if datatype == "BYTES":
        values, at = [], 0
        while at < len(data):
            (length,) = struct.unpack_from("<I", data, at)
            values.append(data[at + 4:at + 4 + length].decode("utf-8"))
            at += 4 + length
        return values
    if datatype == "BF16":
        # numpy has no bfloat16: the upper 16 bits of a float32.
        return (np.frombuffer(data, "<u2").astype("<u4") << 16).view("<f4").astype(float).tolist()
    return np.frombuffer(data, DTYPES[datatype]).tolist()


def decode(response):
    outputs = {}
    for i, tensor in enumerate(response.outputs):
        if response.raw_output_contents:
            outputs[tensor.name] = raw_values(tensor.datatype, response.raw_output_contents[i])
        else:
            values = list(getattr(tensor.contents, FIELDS[tensor.datatype]))
            outputs[tensor.name] = [v.decode("utf-8") for v in values] if tensor.datatype == "BYTES" else values
    return outputs


def main():
    target, calls_file = sys.argv[1], sys.argv[2]
    with open(calls_file) as f:
        calls = json.load(f)
    answers = []
    with grpc.insecure_channel(target) as channel:
        stub = rpc.GRPCInferenceServiceStub(channel)
        for call in calls:
            request = json_format.ParseDict(call.get("request", {}), REQUESTS[call["rpc"]](), ignore_unknown_fields=False)
            metadata = sorted(call.get("metadata", {}).items())
            try:
                response = getattr(stub, call["rpc"])(request, metadata=metadata, timeout=60)
            except grpc.RpcError as e:
                answers.append({"code": e.code().name, "details": e.details()})
                continue
            answer = {"code": "OK", "response": json_format.MessageToDict(response, preserving_proto_field_name=True)}
            if call["rpc"] == "ModelInfer":
                answer["outputs"] = decode(response)
            answers.append(answer)
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
