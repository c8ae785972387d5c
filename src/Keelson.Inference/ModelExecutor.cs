using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Keelson.Operations.Models;
using Microsoft.ML.OnnxRuntime;

namespace Keelson.Inference;

/// <summary>
/// Runs one model version: at most <see cref="ModelServing.MaxConcurrency"/> runs at once and, when batching is on and
/// every input and output has an open first dimension, Triton-style dynamic batching: a request waits at most
/// <see cref="ModelServing.MaxQueueDelayMicroseconds"/> for others with the same trailing shape, up to
/// <see cref="ModelServing.MaxBatchSize"/> rows, and each gets its own rows of the outputs back.
/// </summary>
public sealed class ModelExecutor : IAsyncDisposable
{
    private readonly ModelKey key;
    private readonly OnnxModelInfo info;
    private readonly string digest;
    private readonly string path;
    private readonly SessionCache sessions;
    private readonly IInferenceObserver? observer;
    private readonly SemaphoreSlim slots;
    private readonly Channel<Pending>? queue;
    private readonly Task? batcher;

    /// <summary>An executor for the version, serving as <paramref name="serving"/> says.</summary>
    public ModelExecutor(ModelKey key, OnnxModelInfo info, string digest, string path, ModelServing serving, SessionCache sessions, IInferenceObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(serving);
        this.key = key;
        this.info = info;
        this.digest = digest;
        this.path = path;
        this.sessions = sessions;
        this.observer = observer;
        Serving = serving;
        slots = new SemaphoreSlim(Math.Max(1, serving.MaxConcurrency));
        if (CanBatch(info, serving))
        {
            queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
            batcher = Task.Run(BatchLoopAsync);
        }
    }

    /// <summary>How this executor serves.</summary>
    public ModelServing Serving { get; }

    /// <summary>Whether requests are batched.</summary>
    public bool Batching => queue is not null;

    /// <summary>Whether a model can be batched under <paramref name="serving"/>: batching on, and the first dimension of every input and output open.</summary>
    public static bool CanBatch(OnnxModelInfo info, ModelServing serving)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(serving);
        return serving.Batching && info.Inputs.Count > 0 && info.Inputs.All(i => i.HasDynamicBatch) && info.Outputs.All(o => o.HasDynamicBatch);
    }

    /// <summary>Runs checked inputs (in the model's order) and returns the requested outputs.</summary>
    public async Task<IReadOnlyList<InferenceTensor>> InferAsync(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        try
        {
            IReadOnlyList<InferenceTensor> result;
            if (queue is not null && inputs[0].Shape.Length > 0)
            {
                var pending = new Pending(inputs, Stopwatch.GetTimestamp());
                await queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
                var all = await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                result = [.. all.Where(o => outputs.Contains(o.Name))];
            }
            else
            {
                var queued = Stopwatch.GetTimestamp();
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var waited = Stopwatch.GetElapsedTime(queued);
                    var started = Stopwatch.GetTimestamp();
                    result = Run(inputs, outputs);
                    observer?.Batch(key, 1, inputs[0].Shape.Length > 0 ? inputs[0].Shape[0] : 1, waited, Stopwatch.GetElapsedTime(started));
                }
                finally
                {
                    slots.Release();
                }
            }

            observer?.Request(key, true);
            return result;
        }
        catch
        {
            observer?.Request(key, false);
            throw;
        }
    }

    /// <summary>Loads the session now (the V2 ready route), so the first request does not pay for it.</summary>
    public void Warm()
    {
        using var lease = sessions.Acquire(digest, path);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (queue is not null)
        {
            queue.Writer.TryComplete();
            await batcher!.ConfigureAwait(false);
        }

        slots.Dispose();
    }

    private IReadOnlyList<InferenceTensor> Run(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputs)
    {
        using var lease = sessions.Acquire(digest, path);
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                values.Add(TensorTypes.ToOrtValue(input));
            }

            using var options = new RunOptions();
            using var results = lease.Session.Run(options, [.. inputs.Select(i => i.Name)], values, [.. outputs]);
            return [.. outputs.Zip(results).Select(p => TensorTypes.FromOrtValue(p.First, p.Second))];
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceRequestException(400, "The model could not run on these inputs",
                $"ONNX Runtime refused the request for model '{key.Name}' version {key.Version}: {e.Message}");
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private async Task BatchLoopAsync()
    {
        var reader = queue!.Reader;
        var delay = TimeSpan.FromMicroseconds(Serving.MaxQueueDelayMicroseconds);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!reader.TryRead(out var first))
            {
                continue;
            }

            // A free slot first: while every slot computes, requests pile up and join this batch without any timer.
            await slots.WaitAsync().ConfigureAwait(false);
            var batch = new List<Pending> { first };
            var rows = first.Rows;
            var waited = false;
            while (rows < Serving.MaxBatchSize)
            {
                if (reader.TryPeek(out var next))
                {
                    if (!next.SameShapeBeyondFirst(first) || rows + next.Rows > Serving.MaxBatchSize)
                    {
                        break;
                    }

                    reader.TryRead(out _);
                    batch.Add(next);
                    rows += next.Rows;
                    continue;
                }

                var remaining = delay - Stopwatch.GetElapsedTime(first.Enqueued);
                if (remaining <= TimeSpan.Zero || waited && remaining < TimeSpan.FromMilliseconds(1))
                {
                    break;
                }

                waited = true;
                if (!await WaitForMoreAsync(reader, remaining).ConfigureAwait(false))
                {
                    break;
                }
            }

            _ = Task.Run(() => Execute(batch, rows));
        }
    }

    private static async Task<bool> WaitForMoreAsync(ChannelReader<Pending> reader, TimeSpan remaining)
    {
        // Timers tick in whole milliseconds: a shorter remaining delay gives the requests already on their way one
        // scheduling turn to arrive rather than spinning, which a busy machine cannot afford.
        if (remaining < TimeSpan.FromMilliseconds(1))
        {
            await Task.Yield();
            return reader.TryPeek(out _);
        }

        using var timeout = new CancellationTokenSource(remaining);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Execute(List<Pending> batch, long rows)
    {
        try
        {
            var queued = Stopwatch.GetElapsedTime(batch[0].Enqueued);
            var inputs = batch.Count == 1 ? batch[0].Inputs : Concatenate(batch, rows);
            var started = Stopwatch.GetTimestamp();
            var outputs = Run(inputs, [.. info.Outputs.Select(o => o.Name)]);
            var computed = Stopwatch.GetElapsedTime(started);
            observer?.Batch(key, batch.Count, rows, queued, computed);
            if (batch.Count == 1)
            {
                batch[0].Result.TrySetResult(outputs);
                return;
            }

            long offset = 0;
            foreach (var pending in batch)
            {
                pending.Result.TrySetResult([.. outputs.Select(o => Slice(o, rows, offset, pending.Rows))]);
                offset += pending.Rows;
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private static List<InferenceTensor> Concatenate(List<Pending> batch, long rows)
    {
        var inputs = new List<InferenceTensor>(batch[0].Inputs.Count);
        for (var i = 0; i < batch[0].Inputs.Count; i++)
        {
            var template = batch[0].Inputs[i];
            var shape = (long[])template.Shape.Clone();
            shape[0] = rows;
            var data = TensorTypes.NewArray(template.Datatype, TensorTypes.Count(shape));
            long at = 0;
            foreach (var pending in batch)
            {
                var part = pending.Inputs[i].Data;
                Array.Copy(part, 0, data, at, part.LongLength);
                at += part.LongLength;
            }

            inputs.Add(template with { Shape = shape, Data = data });
        }

        return inputs;
    }

    private InferenceTensor Slice(InferenceTensor output, long rows, long offset, long count)
    {
        if (output.Shape.Length == 0 || output.Shape[0] != rows)
        {
            throw new InferenceRequestException(500, "The model's output does not follow its batch",
                string.Create(CultureInfo.InvariantCulture, $"output '{output.Name}' of model '{key.Name}' has shape [{string.Join(", ", output.Shape)}] for a batch of {rows} rows; turn batching off for this model"));
        }

        var perRow = output.Data.LongLength / rows;
        var shape = (long[])output.Shape.Clone();
        shape[0] = count;
        var data = TensorTypes.NewArray(output.Datatype, perRow * count);
        Array.Copy(output.Data, offset * perRow, data, 0, perRow * count);
        return output with { Shape = shape, Data = data };
    }

    private sealed class Pending(IReadOnlyList<InferenceTensor> inputs, long enqueued)
    {
        public IReadOnlyList<InferenceTensor> Inputs { get; } = inputs;

        public long Enqueued { get; } = enqueued;

        public long Rows { get; } = inputs[0].Shape[0];

        public TaskCompletionSource<IReadOnlyList<InferenceTensor>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SameShapeBeyondFirst(Pending other)
        {
            for (var i = 0; i < Inputs.Count; i++)
            {
                if (!Inputs[i].Shape.AsSpan(1).SequenceEqual(other.Inputs[i].Shape.AsSpan(1)))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
