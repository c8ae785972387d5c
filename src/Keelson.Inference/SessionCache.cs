using Microsoft.ML.OnnxRuntime;

namespace Keelson.Inference;

/// <summary>
/// ONNX Runtime sessions by content digest: loaded on first use, kept warm, and unloaded least recently used first
/// when the loaded total passes the memory budget. A session in use is never disposed under a request: an unloaded one
/// is disposed when its last lease ends. Identical files (one digest) share one session.
/// </summary>
public sealed class SessionCache(InferenceOptions options, IInferenceObserver? observer) : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lazy<Entry>> loading = new(StringComparer.Ordinal);
    private long clock;

    /// <summary>The digests loaded now, least recently used first.</summary>
    public IReadOnlyList<string> Loaded
    {
        get
        {
            lock (gate)
            {
                return [.. entries.Values.OrderBy(e => e.LastUsed).Select(e => e.Digest)];
            }
        }
    }

    /// <summary>Whether the session of <paramref name="digest"/> is loaded.</summary>
    public bool IsLoaded(string digest)
    {
        lock (gate)
        {
            return entries.ContainsKey(digest);
        }
    }

    /// <summary>A lease on the session of the file at <paramref name="path"/>, loading it when needed; dispose the lease when done.</summary>
    public SessionLease Acquire(string digest, string path)
    {
        Lazy<Entry> load;
        lock (gate)
        {
            if (entries.TryGetValue(digest, out var warm))
            {
                return Lease(warm);
            }

            if (!loading.TryGetValue(digest, out load!))
            {
                load = new Lazy<Entry>(() => new Entry(digest, Open(path, options), new FileInfo(path).Length * 2), LazyThreadSafetyMode.ExecutionAndPublication);
                loading[digest] = load;
            }
        }

        // Loading happens outside the lock, once per digest, so other models keep serving meanwhile.
        Entry entry;
        try
        {
            entry = load.Value;
        }
        finally
        {
            lock (gate)
            {
                if (loading.TryGetValue(digest, out var current) && current == load)
                {
                    loading.Remove(digest);
                }
            }
        }

        lock (gate)
        {
            if (!entries.ContainsKey(digest) && !entry.Unloaded)
            {
                entries[digest] = entry;
                Evict(keep: digest);
            }

            var lease = Lease(entry);
            Report();
            return lease;
        }
    }

    /// <summary>Unloads the session of <paramref name="digest"/> (disposed once its last run ends); false when it was not loaded.</summary>
    public bool Unload(string digest)
    {
        lock (gate)
        {
            if (!entries.Remove(digest, out var entry))
            {
                return false;
            }

            entry.Unloaded = true;
            if (entry.Leases == 0)
            {
                entry.Session.Dispose();
            }

            Report();
            return true;
        }
    }

    /// <summary>Opens a session with Keelson's settings: CUDA when offered and preferred, else CPU; <see cref="OnnxRuntimeException"/> when the model does not load.</summary>
    public static InferenceSession Open(string path, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var settings = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.PreferCuda && OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            settings.AppendExecutionProvider_CUDA(0);
        }

        return new InferenceSession(path, settings);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            foreach (var entry in entries.Values)
            {
                entry.Unloaded = true;
                if (entry.Leases == 0)
                {
                    entry.Session.Dispose();
                }
            }

            entries.Clear();
        }
    }

    internal void Release(Entry entry)
    {
        lock (gate)
        {
            entry.Leases--;
            if (entry.Unloaded && entry.Leases == 0)
            {
                entry.Session.Dispose();
            }
        }
    }

    private SessionLease Lease(Entry entry)
    {
        entry.Leases++;
        entry.LastUsed = ++clock;
        return new SessionLease(this, entry);
    }

    // Under the lock: unload idle or busy sessions, oldest use first, until the rest fit (the one just loaded always stays).
    private void Evict(string keep)
    {
        var total = entries.Values.Sum(e => e.Bytes);
        foreach (var victim in entries.Values.Where(e => e.Digest != keep).OrderBy(e => e.LastUsed).ToList())
        {
            if (total <= options.MemoryBudgetBytes)
            {
                break;
            }

            entries.Remove(victim.Digest);
            victim.Unloaded = true;
            total -= victim.Bytes;
            if (victim.Leases == 0)
            {
                victim.Session.Dispose();
            }
        }
    }

    private void Report() => observer?.Sessions(entries.Count, entries.Values.Sum(e => e.Bytes));

    /// <summary>One loaded session.</summary>
    internal sealed class Entry(string digest, InferenceSession session, long bytes)
    {
        public string Digest { get; } = digest;

        public InferenceSession Session { get; } = session;

        public long Bytes { get; } = bytes;

        public int Leases { get; set; }

        public long LastUsed { get; set; }

        public bool Unloaded { get; set; }
    }
}

/// <summary>The use of one session for one run; disposing it lets the cache unload the session.</summary>
public sealed class SessionLease : IDisposable
{
    private readonly SessionCache cache;
    private readonly SessionCache.Entry entry;
    private int disposed;

    internal SessionLease(SessionCache cache, SessionCache.Entry entry)
    {
        this.cache = cache;
        this.entry = entry;
    }

    /// <summary>The session.</summary>
    public InferenceSession Session => entry.Session;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            cache.Release(entry);
        }
    }
}
