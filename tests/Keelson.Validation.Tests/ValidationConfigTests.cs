namespace Keelson.Validation.Tests;

public sealed class ValidationConfigTests
{
    private static readonly string Bad = Fixtures.GoodDeployment.Replace("registry.example.com/web:1.2.3", "web", StringComparison.Ordinal);

    [Fact]
    public void Off_removes_a_check_and_a_severity_overrides_it()
    {
        var (off, _) = ValidationConfig.Parse("checks:\n  image-tag: off\n", "c.yaml", Validator.Default.FindingIds);
        var (error, _) = ValidationConfig.Parse("checks:\n  image-tag: error\n", "c.yaml", Validator.Default.FindingIds);
        var loaded = Load(Bad);

        Assert.DoesNotContain(Validator.Default.Validate(loaded, off).Findings, f => f.CheckId == "image-tag");
        var raised = Validator.Default.Validate(loaded, error);
        Assert.Equal(Severity.Error, raised.Findings.Single(f => f.CheckId == "image-tag").Severity);
        Assert.False(raised.Valid);
    }

    [Fact]
    public void Unknown_ids_and_values_are_errors_with_lines()
    {
        var (config, errors) = ValidationConfig.Parse("checks:\n  image-tagg: off\n  container-probes: loud\n", "c.yaml", Validator.Default.FindingIds);

        Assert.Null(config);
        Assert.Equal(["c.yaml:2: unknown check 'image-tagg'; did you mean 'image-tag'?", "c.yaml:3: 'loud' is not allowed for container-probes; allowed: off, info, warning, error"], errors);
    }

    private static Keelson.Validation.Loading.LoadResult Load(string yaml)
    {
        var documents = new List<Keelson.Validation.Loading.ManifestDocument>();
        var problems = new List<Finding>();
        Keelson.Validation.Loading.ManifestLoader.Parse(yaml, "in.yaml", documents, problems);
        return new Keelson.Validation.Loading.LoadResult(documents, problems);
    }
}
