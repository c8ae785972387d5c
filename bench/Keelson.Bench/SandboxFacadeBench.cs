using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;
using Keelson.Spec.Profiles;

namespace Keelson.Bench;

/// <summary>
/// The sandbox API facade under watch and list load, over real HTTP on loopback (Kestrel, as <c>keelson sandbox
/// serve</c> runs it): WATCHES concurrent ConfigMap watches receive CHANGES object changes each, checked complete and in
/// resourceVersion order; then PODS pods are listed with <c>limit=500</c>, following the continue tokens.
/// </summary>
internal static class SandboxFacadeBench
{
    private const string WatchNamespace = "bench-watch";
    private const string PodNamespace = "bench-pods";
    private const int ConfigMaps = 100;
    private const int PageSize = 500;

    // The writer stays at most this many changes ahead of the slowest watch: the store queues a copy of every change per
    // watch, so an unthrottled writer measures memory, not delivery.
    private const int Window = 500;

    /// <summary>Runs both measurements and prints them.</summary>
    public static async Task RunAsync(int watches, int changes, int pods)
    {
        var cluster = new SandboxCluster(new SandboxEngine(ClusterProfiles.Get("aws-general")));
        await using var server = await SandboxApiServer.StartAsync(cluster, new SandboxApiOptions { Speed = 0 }, CancellationToken.None);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = server.Url, Timeout = Timeout.InfiniteTimeSpan };
        System.Console.WriteLine($"sandbox facade at {server.Url} · {Environment.ProcessorCount} cores · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        await WatchesAsync(server, http, watches, changes);
        await ListAsync(server, http, pods);
    }

    private static async Task WatchesAsync(SandboxApiServer server, HttpClient http, int watches, int changes)
    {
        server.Inspect(c => c.Engine.Store.Create(Namespace(WatchNamespace)));
        var start = (string)JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/v1/namespaces/{WatchNamespace}/configmaps", UriKind.Relative)))!["metadata"]!["resourceVersion"]!;
        var delivered = new long[watches];
        var received = new int[watches];
        var errors = new List<string>();

        // Every watch opens from the list's version and has its headers before the first change, so none depends on
        // the history replay (which keeps at most 4,096 changes).
        var opened = Stopwatch.StartNew();
        var streams = await Task.WhenAll(Enumerable.Range(0, watches).Select(async _ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{WatchNamespace}/configmaps?watch=true&resourceVersion={start}");
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            return response;
        }));
        System.Console.WriteLine($"{watches} watches open in {opened.ElapsedMilliseconds} ms");

        using var done = new CancellationTokenSource();
        var readers = streams.Select((response, i) => Task.Run(async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(done.Token));
            var last = long.Parse(start, CultureInfo.InvariantCulture);
            while (received[i] < changes && await reader.ReadLineAsync(done.Token) is { } line)
            {
                var version = VersionOf(line);
                if (version <= last)
                {
                    lock (errors)
                    {
                        errors.Add($"watch {i}: resourceVersion {version} after {last}");
                    }
                }

                last = version;
                received[i]++;
                Volatile.Write(ref delivered[i], version);
            }
        })).ToArray();

        var timer = Stopwatch.StartNew();
        var lastVersion = 0L;
        for (var i = 0; i < changes; i++)
        {
            var index = i;
            lastVersion = server.Inspect(c => Change(c, index));
            while (index >= Window && Slowest(delivered) < lastVersion - Window)
            {
                await Task.Delay(1);
            }
        }

        var written = timer.Elapsed;
        while (Slowest(delivered) < lastVersion && timer.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(5);
        }

        var all = timer.Elapsed;
        await done.CancelAsync();
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        var complete = received.Count(r => r == changes);
        System.Console.WriteLine($"{changes} changes written in {written.TotalSeconds:F1} s; all {watches} watches had them after {all.TotalSeconds:F1} s " +
            $"({(double)changes * watches / all.TotalSeconds:N0} events/s delivered)");
        System.Console.WriteLine($"complete watches: {complete}/{watches}; out-of-order events: {errors.Count}");
        if (complete != watches || errors.Count > 0)
        {
            throw new InvalidOperationException($"watches incomplete or out of order: {string.Join("; ", errors.Take(5))}");
        }
    }

    private static async Task ListAsync(SandboxApiServer server, HttpClient http, int pods)
    {
        server.Inspect(c =>
        {
            c.Engine.Store.Create(Namespace(PodNamespace));
            for (var i = 0; i < pods; i++)
            {
                c.Engine.Store.Create(Pod(i));
            }

            return 0;
        });

        var times = new List<double>();
        var pages = 0;
        for (var round = 0; round < 5; round++)
        {
            var timer = Stopwatch.StartNew();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var versions = new HashSet<string>(StringComparer.Ordinal);
            pages = 0;
            string? token = null;
            do
            {
                var path = $"/api/v1/namespaces/{PodNamespace}/pods?limit={PageSize}" + (token is null ? "" : "&continue=" + WebUtility.UrlEncode(token));
                var page = JsonNode.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)))!;
                pages++;
                versions.Add((string)page["metadata"]!["resourceVersion"]!);
                foreach (var item in page["items"]!.AsArray())
                {
                    names.Add((string)item!["metadata"]!["name"]!);
                }

                token = (string?)page["metadata"]!["continue"];
            }
            while (!string.IsNullOrEmpty(token));

            times.Add(timer.Elapsed.TotalMilliseconds);
            if (names.Count != pods || versions.Count != 1 || pages != (pods + PageSize - 1) / PageSize)
            {
                throw new InvalidOperationException($"paged list: {names.Count} pods in {pages} pages under {versions.Count} versions");
            }
        }

        var whole = Stopwatch.StartNew();
        var unpaged = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/v1/namespaces/{PodNamespace}/pods", UriKind.Relative)))!["items"]!.AsArray().Count;
        System.Console.WriteLine($"list of {pods} pods with limit={PageSize}: {pages} pages, every pod once under one resourceVersion; " +
            $"rounds {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms (min {times.Min():F0} ms, {times.Min() / pages:F0} ms a page); " +
            $"one unpaged list of {unpaged}: {whole.ElapsedMilliseconds} ms");
    }

    // The first changes create ConfigMaps, the rest modify them in turn; returns the store's version after the change.
    private static long Change(SandboxCluster cluster, int index)
    {
        var store = cluster.Engine.Store;
        var name = $"cm-{index % ConfigMaps:D3}";
        var data = new Dictionary<string, string> { ["value"] = index.ToString(CultureInfo.InvariantCulture) };
        if (index < ConfigMaps)
        {
            store.Create(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = WatchNamespace }, Data = data });
        }
        else
        {
            var map = store.Get<V1ConfigMap>(WatchNamespace, name)!;
            map.Data = data;
            store.Update(map);
        }

        return store.ResourceVersion;
    }

    private static long Slowest(long[] delivered)
    {
        var slowest = long.MaxValue;
        for (var i = 0; i < delivered.Length; i++)
        {
            slowest = Math.Min(slowest, Volatile.Read(ref delivered[i]));
        }

        return slowest;
    }

    // A watch frame's object version: the first resourceVersion in the line is the object's metadata's.
    private static long VersionOf(string line)
    {
        const string Key = "\"resourceVersion\":\"";
        var at = line.IndexOf(Key, StringComparison.Ordinal) + Key.Length;
        return long.Parse(line.AsSpan(at, line.IndexOf('"', at) - at), CultureInfo.InvariantCulture);
    }

    private static V1Namespace Namespace(string name) => new() { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = name }, Status = new V1NamespaceStatus { Phase = "Active" } };

    private static V1Pod Pod(int i) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = $"pod-{i:D5}", NamespaceProperty = PodNamespace, Labels = new Dictionary<string, string> { ["app"] = $"app-{i % 50}" } },
        Spec = new V1PodSpec
        {
            NodeName = $"node-{i % 100}",
            Containers = [new V1Container { Name = "app", Image = "registry.example.com/app:1.0", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") } } }],
        },
        Status = new V1PodStatus { Phase = "Running", PodIP = $"10.1.{i / 250}.{(i % 250) + 2}" },
    };
}
