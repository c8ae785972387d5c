namespace Keelson.Testing;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Keelson.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Keelson.slnx not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static IReadOnlyList<string> Examples =>
        [.. Directory.GetFiles(File("examples"), "*.yaml").Order(StringComparer.Ordinal)];
}
