using Keelson.Testing;

namespace Keelson.Operations.Tests.Storage;

public sealed class ExternalProcessTests
{
    [Fact]
    public void A_missing_server_binary_fails_naming_the_package_to_install()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ExternalProcess.Find("no-such-server-binary", "no-such-package", "/usr/lib/postgresql/*/bin"));

        Assert.Contains("'no-such-server-binary' was not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("install the Debian package 'no-such-package'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versioned_folders_are_searched_newest_first()
    {
        var found = ExternalProcess.Find("initdb", "postgresql", "/usr/lib/postgresql/*/bin");

        Assert.EndsWith("initdb", found, StringComparison.Ordinal);
    }
}
