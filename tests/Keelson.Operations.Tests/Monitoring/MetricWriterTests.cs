using Keelson.Operations.Monitoring;

namespace Keelson.Operations.Tests.Monitoring;

/// <summary>Backpressure of <see cref="MetricWriter"/>. The store is a fake that holds its writes until released, because a real database cannot be paused on demand.</summary>
public sealed class MetricWriterTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_full_queue_refuses_a_push_whole_and_accepts_again_once_drained()
    {
        var store = new HeldStore();
        await using var writer = new MetricWriter(store, new MetricStoreOptions { QueueCapacity = 3 });

        Assert.IsType<PushOutcome.Accepted>(await writer.PushAsync([Sample(1), Sample(2)], CancellationToken.None));
        var refused = await writer.PushAsync([Sample(3), Sample(4)], CancellationToken.None);
        Assert.Equal(new PushOutcome.QueueFull(3), refused);
        Assert.Equal(2, writer.Pending);

        store.Release();
        await writer.FlushAsync(CancellationToken.None);
        Assert.IsType<PushOutcome.Accepted>(await writer.PushAsync([Sample(5), Sample(6), Sample(7)], CancellationToken.None));
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal([1.0, 2, 5, 6, 7], store.Written.Select(s => s.Value));
    }

    [Fact]
    public async Task A_failed_batch_is_dropped_and_the_writer_goes_on()
    {
        var store = new HeldStore { FailNext = true };
        store.Release();
        await using var writer = new MetricWriter(store, new MetricStoreOptions());

        await writer.PushAsync([Sample(1)], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        await writer.PushAsync([Sample(2)], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        Assert.Equal([2.0], store.Written.Select(s => s.Value));
        Assert.Equal(0, writer.Pending);
    }

    private static MetricSample Sample(double value) => MetricSample.Of("shop", "cpu_usage", value, Now);

    private sealed class HeldStore : IMetricStore
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<MetricSample> Written { get; } = [];

        public bool FailNext { get; set; }

        public void Release() => released.TrySetResult();

        public async Task WriteAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken)
        {
            await released.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database down");
            }

            Written.AddRange(samples);
        }

        public Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<MetricSample>>(Written);

        public Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0L);

        public Task<long> DeleteRollupsOlderThanAsync(TimeSpan resolution, DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0L);

        public Task<IReadOnlyList<string>> SeriesAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }
}
