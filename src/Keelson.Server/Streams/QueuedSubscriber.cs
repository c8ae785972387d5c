using System.Threading.Channels;

namespace Keelson.Server.Streams;

/// <summary>
/// One WebSocket's queue of messages to send: bounded, and a subscriber that falls behind is dropped (its queue
/// completes) rather than holding memory or the publisher. Disposing it leaves whatever it subscribed to.
/// </summary>
public abstract class QueuedSubscriber : IDisposable
{
    private readonly Channel<byte[]> queue;

    /// <summary>A queue of at most <paramref name="capacity"/> messages for a subscriber of <paramref name="demo"/> or production.</summary>
    protected QueuedSubscriber(bool demo, int capacity)
    {
        Demo = demo;
        queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Demo or production.</summary>
    public bool Demo { get; }

    /// <summary>True once the subscriber fell behind and was dropped.</summary>
    public bool Dropped { get; private set; }

    /// <summary>The messages to send, each a UTF-8 JSON text shared with other subscribers (never written to).</summary>
    public ChannelReader<byte[]> Messages => queue.Reader;

    /// <inheritdoc />
    public void Dispose()
    {
        Leave();
        queue.Writer.TryComplete();
        GC.SuppressFinalize(this);
    }

    internal bool Offer(byte[] message)
    {
        if (queue.Writer.TryWrite(message))
        {
            return true;
        }

        Dropped = true;
        queue.Writer.TryComplete();
        return false;
    }

    /// <summary>Removes the subscriber from what publishes to it.</summary>
    protected abstract void Leave();
}
