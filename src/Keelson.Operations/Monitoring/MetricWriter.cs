using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keelson.Operations.Monitoring;

/// <summary>
/// Takes pushed samples off the request path: a push is checked against the series limit and the queue's capacity,
/// then queued whole or refused whole; one loop drains the queue in batches into the store and tells
/// <see cref="Stored"/> listeners, and applies retention on the <see cref="TimeProvider"/>'s clock.
/// </summary>
public sealed partial class MetricWriter : IAsyncDisposable
{
    private readonly IMetricStore store;
    private readonly MetricStoreOptions options;
    private readonly Func<CancellationToken, Task<RetentionWindows>> windows;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Channel<IReadOnlyList<MetricSample>> queue = Channel.CreateUnbounded<IReadOnlyList<MetricSample>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Lazy<Task<HashSet<string>>>> series = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock admission = new();
    private readonly Task drain;
    private readonly Task retention;
    private int pending;

    /// <summary>
    /// Starts the drain and retention loops; each retention pass asks <paramref name="windows"/> for the windows in force
    /// (retention set at run time), or uses <paramref name="options"/>' without it.
    /// </summary>
    public MetricWriter(IMetricStore store, MetricStoreOptions options, TimeProvider? clock = null, ILogger<MetricWriter>? logger = null, Func<CancellationToken, Task<RetentionWindows>>? windows = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.store = store;
        this.options = options;
        var configured = new RetentionWindows(options.Retention, options.MinuteRollupRetention, options.HourRollupRetention);
        this.windows = windows ?? (_ => Task.FromResult(configured));
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<MetricWriter>.Instance;
        drain = Task.Run(DrainAsync);
        retention = Task.Run(RetentionLoopAsync);
    }

    /// <summary>Raised after each batch is committed, with the batch; listeners must not block (the WebSocket hub queues).</summary>
    public event Action<IReadOnlyList<MetricSample>>? Stored;

    /// <summary>The limits in force.</summary>
    public MetricStoreOptions Options => options;

    /// <summary>Samples queued and not yet written.</summary>
    public int Pending => Volatile.Read(ref pending);

    /// <summary>Queues all of <paramref name="samples"/> or none of them.</summary>
    public async Task<PushOutcome> PushAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var tenants = new List<(HashSet<string> Known, List<string> Names, string TenantId)>();
        foreach (var tenant in samples.GroupBy(s => s.TenantId))
        {
            tenants.Add((await SeriesOfAsync(tenant.Key, cancellationToken).ConfigureAwait(false), [.. tenant.Select(s => s.MetricName).Distinct(StringComparer.Ordinal)], tenant.Key));
        }

        // One admission at a time: the limit check, the capacity check and the reservation must not interleave with
        // another push's, or two pushes could each pass and together exceed a limit.
        lock (admission)
        {
            foreach (var (known, names, tenantId) in tenants)
            {
                var added = names.Where(n => !known.Contains(n)).ToList();
                if (known.Count + added.Count > options.MaxSeriesPerTenant)
                {
                    return new PushOutcome.SeriesLimitExceeded(tenantId, options.MaxSeriesPerTenant, known.Count, added);
                }
            }

            if (Volatile.Read(ref pending) + samples.Count > options.QueueCapacity)
            {
                return new PushOutcome.QueueFull(options.QueueCapacity);
            }

            Interlocked.Add(ref pending, samples.Count);
            foreach (var (known, names, _) in tenants)
            {
                known.UnionWith(names);
            }

            queue.Writer.TryWrite(samples);
        }

        return new PushOutcome.Accepted(samples.Count);
    }

    /// <summary>Waits until every queued sample is written (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Pending > 0 && !drain.IsCompleted)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Folds samples older than the raw retention window into roll-ups and deletes them, and ages the roll-ups out, measured on the clock; returns how many samples were deleted.</summary>
    public async Task<long> ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        // Cuts fall on bucket boundaries: raw samples by the minute, so every minute bucket is folded whole, and minute
        // buckets by the hour, so hour buckets take over exactly where the minutes end.
        var now = clock.GetUtcNow();
        var keep = await windows(cancellationToken).ConfigureAwait(false);
        static DateTimeOffset Floor(DateTimeOffset time, TimeSpan unit) => new(time.UtcTicks - (time.UtcTicks % unit.Ticks), TimeSpan.Zero);
        var deleted = await store.DeleteOlderThanAsync(Floor(now - keep.Raw, TimeSpan.FromMinutes(1)), cancellationToken).ConfigureAwait(false);
        await store.DeleteRollupsOlderThanAsync(TimeSpan.FromMinutes(1), Floor(now - keep.MinuteRollups, TimeSpan.FromHours(1)), cancellationToken).ConfigureAwait(false);
        await store.DeleteRollupsOlderThanAsync(TimeSpan.FromHours(1), Floor(now - keep.HourRollups, TimeSpan.FromHours(1)), cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            // Series whose last sample aged out no longer count against the limit: reload from the store on next push.
            series.Clear();
        }

        return deleted;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await drain.ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await retention.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private Task<HashSet<string>> SeriesOfAsync(string tenantId, CancellationToken cancellationToken) =>
        // Loaded once per tenant and shared, so the token of whichever push came first must not cancel it for the others.
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<HashSet<string>>(cancellationToken) :
        series.GetOrAdd(tenantId, id => new Lazy<Task<HashSet<string>>>(async () =>
            new HashSet<string>(await store.SeriesAsync(id, CancellationToken.None).ConfigureAwait(false), StringComparer.Ordinal))).Value;

    private async Task DrainAsync()
    {
        var batch = new List<MetricSample>(options.BatchSize);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < options.BatchSize && queue.Reader.TryRead(out var push))
            {
                batch.AddRange(push);
            }

            try
            {
                await store.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Stored?.Invoke([.. batch]);
            }
#pragma warning disable CA1031 // The loop must survive a failed batch: the next may succeed once the database is back.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogDropped(logger, exception, batch.Count);
            }
            finally
            {
                Interlocked.Add(ref pending, -batch.Count);
            }
        }
    }

    private async Task RetentionLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(options.RetentionInterval, clock, stopping.Token).ConfigureAwait(false);
            try
            {
                await ApplyRetentionAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRetentionFailed(logger, exception, options.RetentionInterval);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped {Count} metric samples: the store refused the batch")]
    private static partial void LogDropped(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metric retention failed; it runs again in {Interval}")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception, TimeSpan interval);
}
