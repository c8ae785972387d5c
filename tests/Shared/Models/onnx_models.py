#!/usr/bin/env python3
"""Builds the small ONNX models the model-registry and inference tests use, and computes reference outputs with numpy.

  onnx_models.py build DIR          writes mlp.onnx, two_inputs.onnx, dynamic_mlp.onnx, mlp_v2.onnx, halves.onnx, words.onnx and weights.npz to DIR
  onnx_models.py build-wide DIR     writes wide_mlp.onnx (4 -> 2048 -> 2048 -> 3, dynamic batch): a model whose run costs
                                    more than an HTTP request, for bench/Keelson.Bench --inference only
  onnx_models.py reference DIR MODEL REQUEST.json
  onnx_models.py reference-bytes DIR MODEL REQUEST.json   the outputs as little-endian bytes (hex), as the binary tensor extension sends them
      prints {"name": [values...], ...}: the outputs MODEL gives for the request's inputs ({"inputs": [{name, shape, data}]}),
      computed with numpy from the saved weights, never by ONNX Runtime.

Weights come from a fixed numpy seed, so every build writes the same bytes (the registry's dedup relies on that).
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def weights():
    rng = np.random.RandomState(20261206)
    return {
        "w1": rng.randn(4, 8).astype(np.float32), "b1": rng.randn(8).astype(np.float32),
        "w2": rng.randn(8, 3).astype(np.float32), "b2": rng.randn(3).astype(np.float32),
        # A second version of the MLP with other weights: the alias-promotion test tells versions apart by output.
        "v2_w1": rng.randn(4, 8).astype(np.float32), "v2_b1": rng.randn(8).astype(np.float32),
        "v2_w2": rng.randn(8, 3).astype(np.float32), "v2_b2": rng.randn(3).astype(np.float32),
    }


def mlp(w, prefix, batch, graph_name):
    init = [numpy_helper.from_array(w[prefix + k], name=k) for k in ("w1", "b1", "w2", "b2")]
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h0"]),
        helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["h2"]),
        helper.make_node("MatMul", ["h2", "w2"], ["h3"]),
        helper.make_node("Add", ["h3", "b2"], ["y"]),
    ]
    graph = helper.make_graph(nodes, graph_name,
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, 3])], init)
    return model(graph)


def two_inputs():
    nodes = [
        helper.make_node("Cast", ["b"], ["bf"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["a", "bf"], ["sum"]),
        helper.make_node("Mul", ["a", "bf"], ["product"]),
    ]
    graph = helper.make_graph(nodes, "two_inputs",
                              [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3]),
                               helper.make_tensor_value_info("b", TensorProto.INT64, [2, 3])],
                              [helper.make_tensor_value_info("sum", TensorProto.FLOAT, [2, 3]),
                               helper.make_tensor_value_info("product", TensorProto.FLOAT, [2, 3])])
    return model(graph)


def halves():
    """FP16 and BF16 in and out through Cast, which ONNX Runtime's CPU provider runs for both types."""
    nodes = [
        helper.make_node("Cast", ["h"], ["h_as_fp32"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["b"], ["b_as_fp32"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["f"], ["f_as_fp16"], to=TensorProto.FLOAT16),
        helper.make_node("Cast", ["f"], ["f_as_bf16"], to=TensorProto.BFLOAT16),
    ]
    graph = helper.make_graph(nodes, "halves",
                              [helper.make_tensor_value_info("h", TensorProto.FLOAT16, [2, 3]),
                               helper.make_tensor_value_info("b", TensorProto.BFLOAT16, [2, 3]),
                               helper.make_tensor_value_info("f", TensorProto.FLOAT, [2, 3])],
                              [helper.make_tensor_value_info("h_as_fp32", TensorProto.FLOAT, [2, 3]),
                               helper.make_tensor_value_info("b_as_fp32", TensorProto.FLOAT, [2, 3]),
                               helper.make_tensor_value_info("f_as_fp16", TensorProto.FLOAT16, [2, 3]),
                               helper.make_tensor_value_info("f_as_bf16", TensorProto.BFLOAT16, [2, 3])])
    return model(graph)


def words():
    """BYTES (ONNX strings) in and out: StringNormalizer upper-cases them in the C locale (ASCII letters only; the
    machines have no other locale installed), Identity passes them through."""
    nodes = [
        helper.make_node("StringNormalizer", ["text"], ["upper"], case_change_action="UPPER", locale="C"),
        helper.make_node("Identity", ["text"], ["same"]),
    ]
    graph = helper.make_graph(nodes, "words",
                              [helper.make_tensor_value_info("text", TensorProto.STRING, [3])],
                              [helper.make_tensor_value_info("upper", TensorProto.STRING, [3]),
                               helper.make_tensor_value_info("same", TensorProto.STRING, [3])])
    return model(graph)


def bfloat16(x):
    """float32 to bfloat16 by round-to-nearest-even on the upper 16 bits, returned as float32 (numpy has no bfloat16)."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return rounded.astype(np.uint32).view(np.float32)


def model(graph):
    m = helper.make_model(graph, producer_name="keelson-tests", producer_version="1.0", opset_imports=[helper.make_opsetid("", OPSET)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def build(directory):
    w = weights()
    np.savez(f"{directory}/weights.npz", **w)
    onnx.save(mlp(w, "", 1, "mlp"), f"{directory}/mlp.onnx")
    onnx.save(mlp(w, "", "batch", "dynamic_mlp"), f"{directory}/dynamic_mlp.onnx")
    onnx.save(mlp(w, "v2_", "batch", "dynamic_mlp_v2"), f"{directory}/mlp_v2.onnx")
    onnx.save(two_inputs(), f"{directory}/two_inputs.onnx")
    onnx.save(halves(), f"{directory}/halves.onnx")
    onnx.save(words(), f"{directory}/words.onnx")


def reference(directory, name, request):
    w = dict(np.load(f"{directory}/weights.npz"))
    inputs = {t["name"]: np.array(t["data"]).reshape(t["shape"]) for t in request["inputs"]}
    if name in ("mlp", "dynamic_mlp", "mlp_v2"):
        p = "v2_" if name == "mlp_v2" else ""
        x = inputs["x"].astype(np.float32)
        h = np.maximum(x @ w[p + "w1"] + w[p + "b1"], 0)
        return {"y": (h @ w[p + "w2"] + w[p + "b2"]).astype(np.float32)}
    if name == "two_inputs":
        a, b = inputs["a"].astype(np.float32), inputs["b"].astype(np.float32)
        return {"sum": a + b, "product": a * b}
    if name == "halves":
        # FP16 and BF16 values arrive as JSON numbers; the served input is the value rounded to the type.
        h = inputs["h"].astype(np.float16)
        b = bfloat16(inputs["b"])
        f = inputs["f"].astype(np.float32)
        return {"h_as_fp32": h.astype(np.float32), "b_as_fp32": b, "f_as_fp16": f.astype(np.float16), "f_as_bf16": bfloat16(f)}
    if name == "words":
        text = np.array(request["inputs"][0]["data"], dtype=object)
        # The C locale upper-cases ASCII letters only, as bytes.upper() does.
        return {"upper": np.array([t.encode("utf-8").upper().decode("utf-8") for t in text], dtype=object), "same": text}
    raise SystemExit(f"unknown model {name}")


def wide_mlp():
    rng = np.random.RandomState(20261207)
    hidden = 2048
    init = [numpy_helper.from_array((rng.randn(*shape) / np.sqrt(shape[0])).astype(np.float32), name=name)
            for name, shape in (("w1", (4, hidden)), ("w2", (hidden, hidden)), ("w3", (hidden, 3)))]
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h0"]),
        helper.make_node("Relu", ["h0"], ["h1"]),
        helper.make_node("MatMul", ["h1", "w2"], ["h2"]),
        helper.make_node("Relu", ["h2"], ["h3"]),
        helper.make_node("MatMul", ["h3", "w3"], ["y"]),
    ]
    graph = helper.make_graph(nodes, "wide_mlp",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])], init)
    return model(graph)


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(sys.argv[2])
    elif sys.argv[1] == "build-wide":
        onnx.save(wide_mlp(), f"{sys.argv[2]}/wide_mlp.onnx")
    elif sys.argv[1] == "reference":
        with open(sys.argv[4]) as f:
            outputs = reference(sys.argv[2], sys.argv[3], json.load(f))
        print(json.dumps({k: {"shape": list(v.shape), "data": [f if isinstance(f, str) else float(f) for f in v.reshape(-1)]} for k, v in outputs.items()}))
    elif sys.argv[1] == "reference-bytes":
        with open(sys.argv[4]) as f:
            outputs = reference(sys.argv[2], sys.argv[3], json.load(f))
        # bfloat16 outputs are held as float32 here; their bytes on the wire are the upper 16 bits.
        print(json.dumps({k: ((v.view(np.uint32) >> 16).astype("<u2") if k.endswith("_bf16") else v.astype(v.dtype.newbyteorder("<"))).tobytes().hex()
                          for k, v in outputs.items()}))
    else:
        raise SystemExit(__doc__)
