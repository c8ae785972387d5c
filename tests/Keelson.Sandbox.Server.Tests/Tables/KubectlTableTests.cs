using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.Tests.Tables;

/// <summary>
/// <c>kubectl get</c> and <c>get -o wide</c> through the real kubectl for each kind with its own columns: the
/// header kubectl prints from the server's Table, and a row with the object's cells.
/// </summary>
public sealed partial class KubectlTableTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"keelson-tables-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, TableManifest.Yaml);
        try
        {
            await Kubectl.OkAsync("apply", "-f", path);
        }
        finally
        {
            File.Delete(path);
        }

        cluster.Server.Server.Advance(TimeSpan.FromMinutes(3));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string, string> Kinds => new()
    {
        { "namespace/tables", "NAME|STATUS|AGE", "NAME|STATUS|AGE", @"^tables\s+Active\s+\d" },
        { "secret/creds", "NAME|TYPE|DATA|AGE", "NAME|TYPE|DATA|AGE", @"^creds\s+kubernetes.io/basic-auth\s+2\s+\d" },
        { "configmap/settings", "NAME|DATA|AGE", "NAME|DATA|AGE", @"^settings\s+3\s+\d" },
        { "serviceaccount/robot", "NAME|SECRETS|AGE", "NAME|SECRETS|AGE", @"^robot\s+0\s+\d" },
        { "endpoints/external", "NAME|ENDPOINTS|AGE", "NAME|ENDPOINTS|AGE", @"^external\s+10\.9\.0\.1:5432,10\.9\.0\.2:5432\s+\d" },
        {
            "pvc/data", "NAME|STATUS|VOLUME|CAPACITY|ACCESS MODES|STORAGECLASS|VOLUMEATTRIBUTESCLASS|AGE",
            "NAME|STATUS|VOLUME|CAPACITY|ACCESS MODES|STORAGECLASS|VOLUMEATTRIBUTESCLASS|AGE|VOLUMEMODE", @"^data\s+\w+\s.*gp3\s+<unset>\s+\d"
        },
        {
            "pv/archive", "NAME|CAPACITY|ACCESS MODES|RECLAIM POLICY|STATUS|CLAIM|STORAGECLASS|VOLUMEATTRIBUTESCLASS|REASON|AGE",
            "NAME|CAPACITY|ACCESS MODES|RECLAIM POLICY|STATUS|CLAIM|STORAGECLASS|VOLUMEATTRIBUTESCLASS|REASON|AGE|VOLUMEMODE", @"^archive\s+20Gi\s+RWX\s+Delete\s+\w+\s+nfs\s+<unset>\s+\d"
        },
        { "quota/compute", "NAME|AGE|REQUEST|LIMIT", "NAME|AGE|REQUEST|LIMIT", @"^compute\s+\d+m?s?\s+requests\.cpu: 0/4\s+limits\.memory: 0/8Gi$" },
        { "limitrange/defaults", "NAME|CREATED AT", "NAME|CREATED AT", @"^defaults\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$" },
        {
            "daemonset/agent", "NAME|DESIRED|CURRENT|READY|UP-TO-DATE|AVAILABLE|NODE SELECTOR|AGE",
            "NAME|DESIRED|CURRENT|READY|UP-TO-DATE|AVAILABLE|NODE SELECTOR|AGE|CONTAINERS|IMAGES|SELECTOR", @"^agent(\s+\d+){5}\s+kubernetes.io/os=linux\s+\d"
        },
        { "job/migrate", "NAME|STATUS|COMPLETIONS|DURATION|AGE", "NAME|STATUS|COMPLETIONS|DURATION|AGE|CONTAINERS|IMAGES|SELECTOR", @"^migrate\s+\w+\s+\d/2\s" },
        {
            "cronjob/nightly", "NAME|SCHEDULE|TIMEZONE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE",
            "NAME|SCHEDULE|TIMEZONE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE|CONTAINERS|IMAGES|SELECTOR", @"^nightly\s+0 3 \* \* \*\s+Europe/Paris\s+True\s+\d+\s"
        },
        { "hpa/web", "NAME|REFERENCE|TARGETS|MINPODS|MAXPODS|REPLICAS|AGE", "NAME|REFERENCE|TARGETS|MINPODS|MAXPODS|REPLICAS|AGE", @"^web\s+Deployment/web\s+cpu: \S+/70%\s+2\s+7\s+\d" },
        { "pdb/web", "NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE", "NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE", @"^web\s+1\s+N/A\s+\d+\s" },
        { "networkpolicy/web-ingress", "NAME|POD-SELECTOR|AGE", "NAME|POD-SELECTOR|AGE", @"^web-ingress\s+app=web\s+\d" },
        { "ingress/web", "NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE", "NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE", @"^web\s+nginx\s+shop\.example\s+(\S+\s+)?80, 443\s+\d" },
        { "role/reader", "NAME|CREATED AT", "NAME|CREATED AT", @"^reader\s+\d{4}-\d\d-\d\dT" },
        { "rolebinding/read-pods", "NAME|ROLE|AGE", "NAME|ROLE|AGE|USERS|GROUPS|SERVICEACCOUNTS", @"^read-pods\s+Role/reader\s+\d" },
        { "clusterrole/table-viewer", "NAME|CREATED AT", "NAME|CREATED AT", @"^table-viewer\s+\d{4}-" },
        { "clusterrolebinding/table-viewers", "NAME|ROLE|AGE", "NAME|ROLE|AGE|USERS|GROUPS|SERVICEACCOUNTS", @"^table-viewers\s+ClusterRole/table-viewer\s+\d" },
        {
            "scaledobject/worker", "NAME|SCALETARGETKIND|SCALETARGETNAME|MIN|MAX|TRIGGERS|AUTHENTICATION|READY|ACTIVE|FALLBACK|AGE",
            "NAME|SCALETARGETKIND|SCALETARGETNAME|MIN|MAX|TRIGGERS|AUTHENTICATION|READY|ACTIVE|FALLBACK|AGE", @"^worker\s+(\S+\s+)?worker\s+1\s+9\s+cpu\s"
        },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Get_prints_the_api_servers_columns_and_wide_adds_the_priority_one_ones(string target, string header, string wideHeader, string row)
    {
        var args = target.StartsWith("namespace/", StringComparison.Ordinal) || target.StartsWith("pv/", StringComparison.Ordinal) || target.StartsWith("cluster", StringComparison.Ordinal)
            ? new[] { "get", target }
            : ["get", target, "-n", TableManifest.Namespace];
        var plain = Lines(await Kubectl.OkAsync(args));
        Assert.Equal(header.Split('|'), Columns(plain[0]));
        Assert.Matches(row, plain[1]);

        var wide = Lines(await Kubectl.OkAsync([.. args, "-o", "wide"]));
        Assert.Equal(wideHeader.Split('|'), Columns(wide[0]));
        Assert.Matches(row, wide[1]);
    }

    [Fact]
    public async Task Wide_bindings_list_users_groups_and_service_accounts()
    {
        var wide = Lines(await Kubectl.OkAsync("get", "rolebinding/read-pods", "-n", TableManifest.Namespace, "-o", "wide"));
        Assert.Matches(@"Role/reader\s+\S+\s+jane\s+devs\s+tables/robot$", wide[1]);
    }

    [Fact]
    public async Task Wide_workloads_show_containers_images_and_selector()
    {
        var job = Lines(await Kubectl.OkAsync("get", "job/migrate", "-n", TableManifest.Namespace, "-o", "wide"));
        Assert.Matches(@"\smigrate\s+migrate:2\.1\s+\S*batch\.kubernetes\.io/controller-uid=|\smigrate\s+migrate:2\.1\s+\S+$", job[1]);
        var agent = Lines(await Kubectl.OkAsync("get", "ds/agent", "-n", TableManifest.Namespace, "-o", "wide"));
        Assert.Matches(@"\sagent\s+agent:1\.0\s+app=agent$", agent[1]);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    // kubectl pads columns with at least three spaces; single spaces stay inside a header such as ACCESS MODES.
    private static string[] Columns(string header) => ColumnGap().Split(header.Trim());

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();
}
