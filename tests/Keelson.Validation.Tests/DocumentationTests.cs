using Keelson.Testing;

namespace Keelson.Validation.Tests;

public sealed class DocumentationTests
{
    [Fact]
    public void Every_finding_id_is_documented_in_docs_checks_md()
    {
        var doc = File.ReadAllText(Repo.File("docs", "checks.md"));

        var missing = Validator.Default.FindingIds.Append("capacity").Where(id => !doc.Contains($"`{id}`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "docs/checks.md does not document: " + string.Join(", ", missing));
    }
}
