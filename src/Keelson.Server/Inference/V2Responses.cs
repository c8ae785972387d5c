using System.Text.Json.Nodes;

namespace Keelson.Server.Inference;

/// <summary>An input or output in OIP V2 model metadata; -1 marks a dimension the request chooses.</summary>
public sealed record V2TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>OIP V2 model metadata: the model, its versions, the platform, inputs and outputs of the version resolved.</summary>
public sealed record V2ModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<V2TensorMetadata> Inputs, IReadOnlyList<V2TensorMetadata> Outputs);

/// <summary>OIP V2 readiness of a model version (loaded and able to serve).</summary>
public sealed record V2ModelReady(string Name, string Version, bool Ready);

/// <summary>OIP V2 server metadata: the server's name and version and the protocol extensions it implements.</summary>
public sealed record V2ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>OIP V2 server liveness or readiness.</summary>
public sealed record V2Health(bool Live, bool Ready);

/// <summary>An output tensor of an OIP V2 inference response; <c>data</c> is flat, row-major.</summary>
public sealed record V2OutputTensor(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<JsonNode> Data);

/// <summary>An OIP V2 inference response (<c>id</c> echoes the request's when it gave one).</summary>
public sealed record V2InferenceResponse(string ModelName, string ModelVersion, IReadOnlyList<V2OutputTensor> Outputs);

/// <summary>An OIP V2 inference request as documented (the server reads it with <see cref="V2Json"/>).</summary>
public sealed record V2InferenceRequest(string? Id, IReadOnlyList<V2InputTensor> Inputs, IReadOnlyList<V2RequestedOutput>? Outputs);

/// <summary>An input tensor of a request: <c>data</c> flat in row-major order or nested.</summary>
public sealed record V2InputTensor(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<JsonNode> Data);

/// <summary>An output a request asks for (all when none are named).</summary>
public sealed record V2RequestedOutput(string Name);
