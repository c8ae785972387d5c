using Keelson.Inference;
using Prometheus;

namespace Keelson.Server;

/// <summary>Per-model inference figures on the server's registry: requests, batch sizes, queue and compute time, loaded sessions.</summary>
public sealed class ModelMetrics : IInferenceObserver
{
    private static readonly string[] Labels = ["tenant", "model", "version"];
    private readonly Counter requests;
    private readonly Histogram batchRows;
    private readonly Histogram batchRequests;
    private readonly Histogram queueSeconds;
    private readonly Histogram computeSeconds;
    private readonly Gauge sessions;
    private readonly Gauge sessionBytes;

    /// <summary>Registers the metrics on the server's registry.</summary>
    public ModelMetrics(ServerMetrics server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var factory = Metrics.WithCustomRegistry(server.Registry);
        requests = factory.CreateCounter("keelson_inference_requests_total", "Inference requests answered, by model version and outcome.", [.. Labels, "outcome"]);
        batchRows = factory.CreateHistogram("keelson_inference_batch_rows", "Rows (first-dimension size) of each run: a batch, or one request when batching is off.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = [1, 2, 4, 8, 16, 32, 64, 128] });
        batchRequests = factory.CreateHistogram("keelson_inference_batch_requests", "Requests stacked into each run.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = [1, 2, 4, 8, 16, 32, 64] });
        queueSeconds = factory.CreateHistogram("keelson_inference_queue_seconds", "How long a run's oldest request waited (batch forming and the concurrency limit).",
            new HistogramConfiguration { LabelNames = Labels, Buckets = Histogram.ExponentialBuckets(0.00005, 2, 14) });
        computeSeconds = factory.CreateHistogram("keelson_inference_compute_seconds", "ONNX Runtime time of each run.",
            new HistogramConfiguration { LabelNames = Labels, Buckets = Histogram.ExponentialBuckets(0.00005, 2, 14) });
        sessions = factory.CreateGauge("keelson_inference_sessions_loaded", "ONNX Runtime sessions loaded now.");
        sessionBytes = factory.CreateGauge("keelson_inference_sessions_bytes", "Estimated bytes of the loaded sessions (against Keelson:Models:MemoryBudgetBytes).");
    }

    /// <inheritdoc />
    public void Request(ModelKey model, bool succeeded)
    {
        ArgumentNullException.ThrowIfNull(model);
        requests.WithLabels(model.TenantId, model.Name, Version(model), succeeded ? "success" : "failure").Inc();
    }

    /// <inheritdoc />
    public void Batch(ModelKey model, int requests, long rows, TimeSpan queued, TimeSpan computed)
    {
        ArgumentNullException.ThrowIfNull(model);
        string[] labels = [model.TenantId, model.Name, Version(model)];
        batchRows.WithLabels(labels).Observe(rows);
        batchRequests.WithLabels(labels).Observe(requests);
        queueSeconds.WithLabels(labels).Observe(queued.TotalSeconds);
        computeSeconds.WithLabels(labels).Observe(computed.TotalSeconds);
    }

    /// <inheritdoc />
    public void Sessions(int loaded, long loadedBytes)
    {
        sessions.Set(loaded);
        sessionBytes.Set(loadedBytes);
    }

    private static string Version(ModelKey model) => model.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
