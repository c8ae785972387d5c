using System.Collections.Frozen;
using Keelson.Spec.Model;

namespace Keelson.Planning.Catalog;

/// <summary>
/// Default capacities of the AI services. CPU replicas are 3 cores so that two fit an 8-vCPU / 32 GiB node after
/// system reservations; GPU replicas hold one GPU, 2 cores and 8 GiB so that they fit the smallest GPU nodes.
/// Figures marked "anchor" are the ECP-AI orchestrator's
/// (config dated 2024-12-01, see docs/sizing.md); figures marked "estimate" are Keelson's, derived as stated.
/// </summary>
public sealed class ServiceCatalog
{
    // Per-session request rates of the anchor's demand model (queries per second while a session is live).
    private const double CallbotNlpPerSecond = 20.0 / 180;   // 20 NLP queries in a 3-minute call
    private const double ChatbotNlpPerSecond = 12.0 / 480;   // 12 NLP queries in an 8-minute chat

    // Memory bandwidth relative to L40S (864 GB/s): A100 80GB 2,039 GB/s, H100 SXM 3,350 GB/s, capped
    // lower because TTS/NLP batches are small; Keelson's estimate for the GPUs the anchor does not list.
    private const double A100OverL40S = 1.5;
    private const double H100OverL40S = 2.5;

    private readonly FrozenDictionary<AiServiceType, CatalogEntry> entries;

    /// <summary>Creates a catalog from entries; <see cref="Default"/> holds the documented defaults.</summary>
    public ServiceCatalog(IEnumerable<CatalogEntry> entries) =>
        this.entries = entries.ToFrozenDictionary(e => e.Service);

    /// <summary>The documented default catalog.</summary>
    public static ServiceCatalog Default { get; } = new(DefaultEntries());

    /// <summary>The entry of a service.</summary>
    public CatalogEntry this[AiServiceType service] => entries[service];

    /// <summary>All entries, in service order.</summary>
    public IEnumerable<CatalogEntry> Entries => entries.Values.OrderBy(e => e.Service);

    private static IEnumerable<CatalogEntry> DefaultEntries()
    {
        var gpuPod = PodShape.Burstable(2, 8, gpus: 1);

        // Callbot on a GPU: TTS channels with the 30 % cache are the bottleneck (NLP allows
        // 150 / (20/180) = 1,350 sessions on a T4, AICM 100 / (3/180) = 6,000), so sessions = TTS with cache.
        yield return new CatalogEntry(
            AiServiceType.Callbot, "ecp-ai/callbot:1.0.0", TimeSpan.FromMilliseconds(60),
            new DeviceVariant(6, PodShape.Burstable(3, 6), "estimate: CPU TTS at ~2 channels per core, 3 cores per replica"),
            Gpus(gpuPod, t4: 50, v100: 150, l40s: 200, "anchor: TTS channels with cache per GPU (T4 50, V100 150, L40S 200)"));

        // Chatbot: NLP-bound; 12 queries per 8-minute chat.
        yield return new CatalogEntry(
            AiServiceType.Chatbot, "ecp-ai/chatbot:1.0.0", TimeSpan.FromMilliseconds(60),
            new DeviceVariant(200, PodShape.Burstable(2, 4), "estimate: CPU NLP ~5 queries/s per replica = 200 chats at 12 queries per 8 minutes"),
            Gpus(gpuPod, (int)(150 / ChatbotNlpPerSecond), (int)(450 / ChatbotNlpPerSecond), (int)(600 / ChatbotNlpPerSecond),
                "anchor: NLP queries/s per GPU (T4 150, V100 450, L40S 600) / 0.025 queries/s per chat"));

        // Advisor: two STT channels per consultation at 6.5 channels per core dominate; NLP/AICM fit on CPU.
        yield return new CatalogEntry(
            AiServiceType.Advisor, "ecp-ai/advisor:1.0.0", TimeSpan.FromMilliseconds(45),
            new DeviceVariant(9, PodShape.Burstable(3, 12), "anchor: STT 6.5 channels/core and 4 GB/core, 2 channels per consultation: 3 cores serve 9"),
            new Dictionary<GpuType, DeviceVariant>());

        yield return new CatalogEntry(
            AiServiceType.Stt, "ecp-ai/stt:1.0.0", TimeSpan.FromMilliseconds(100),
            new DeviceVariant(19, PodShape.Burstable(3, 12), "anchor: STT 6.5 real-time channels per core and 4 GB per core (8-core / 32 GB server): 3 cores serve 19"),
            new Dictionary<GpuType, DeviceVariant>());

        yield return new CatalogEntry(
            AiServiceType.Tts, "ecp-ai/tts:1.0.0", TimeSpan.FromMilliseconds(80),
            new DeviceVariant(3, PodShape.Burstable(3, 6), "estimate: CPU TTS at ~1 channel per core"),
            Gpus(gpuPod, t4: 10, v100: 30, l40s: 40, "anchor: TTS base channels per GPU (T4 10, V100 30, L40S 40)"));

        // NLP sessions are conversations issuing 20 queries per 3 minutes, as in a callbot call.
        yield return new CatalogEntry(
            AiServiceType.Nlp, "ecp-ai/nlp:1.0.0", TimeSpan.FromMilliseconds(60),
            new DeviceVariant(101, PodShape.Burstable(3, 6), "estimate: CPU NLP ~3.75 queries/s per core: 11.25 per 3-core replica / 0.111 queries/s per conversation"),
            Gpus(gpuPod, (int)(150 / CallbotNlpPerSecond), (int)(450 / CallbotNlpPerSecond), (int)(600 / CallbotNlpPerSecond),
                "anchor: NLP queries/s per GPU (T4 150, V100 450, L40S 600) / 0.111 queries/s per conversation"));

        yield return new CatalogEntry(
            AiServiceType.Ta, "ecp-ai/ta:1.0.0", TimeSpan.FromSeconds(1),
            new DeviceVariant(1, new PodShape(new(1000), Spec.Units.ByteSize.FromGiB(4), new(1000), Spec.Units.ByteSize.FromGiB(4), 0), "anchor: TA 1 channel per core, 4 GB per core"),
            new Dictionary<GpuType, DeviceVariant>());

        yield return new CatalogEntry(
            AiServiceType.Qa, "ecp-ai/qa:1.0.0", TimeSpan.FromMilliseconds(200),
            new DeviceVariant(150, PodShape.Burstable(3, 12), "anchor: QA 50 channels per core (8-core / 32 GB server): 3 cores serve 150"),
            new Dictionary<GpuType, DeviceVariant>());
    }

    private static Dictionary<GpuType, DeviceVariant> Gpus(PodShape pod, int t4, int v100, int l40s, string source) => new()
    {
        [GpuType.T4] = new(t4, pod, source),
        [GpuType.V100] = new(v100, pod, source),
        [GpuType.L40S] = new(l40s, pod, source),
        [GpuType.A100] = new((int)(l40s * A100OverL40S), pod, "estimate: L40S figure × 1.5 (memory bandwidth, small batches)"),
        [GpuType.H100] = new((int)(l40s * H100OverL40S), pod, "estimate: L40S figure × 2.5 (memory bandwidth, small batches)"),
    };
}
